import Foundation
import Testing
import Floe
import FloeColumnar
import FloeSQLite

@Suite struct FloeVirtualTableTests {
    @Test func selectsEveryTypeWithTheDocumentedMapping() throws {
        let dir = try SQLFixtures.scratchDirectory("types")
        defer { SQLFixtures.remove(dir) }
        let table = try SQLFixtures.salesTable(in: dir, partitioned: false, appends: 1, rowsPerAppend: 8)
        let db = try Database()
        try db.attach(table, as: "sales")
        let rows = try db.rows("SELECT id, region, amount, price, day, ts, flag, payload, tags, typeof(price) FROM sales WHERE id IN (6, 7) ORDER BY id")
        #expect(rows.count == 2)
        #expect(rows[0] == [.integer(6), .text("east"), .null, .real(7.5), .text("2024-01-01"), .text("2024-01-01T06:00:00.000000Z"),
                            .integer(1), .blob([6, 0xFF]), .text("[\"t6\",\"x\"]"), .text("real")])
        #expect(rows[1][2] == .real(10.5) && rows[1][6] == .integer(0))
        let columns = try db.prepare("SELECT * FROM sales").columnNames
        #expect(columns == ["id", "region", "amount", "price", "day", "ts", "flag", "payload", "tags"])
    }

    @Test func aggregatesGroupByAndOrderBy() throws {
        let dir = try SQLFixtures.scratchDirectory("agg")
        defer { SQLFixtures.remove(dir) }
        let table = try SQLFixtures.salesTable(in: dir)
        let db = try Database()
        try db.attach(table, as: "sales")
        let rows = try db.rows("SELECT region, count(*), sum(price), max(id) FROM sales GROUP BY region ORDER BY region DESC")
        #expect(rows.map { $0[0] } == [.text("west"), .text("north"), .text("east")])
        #expect(rows.map { $0[1] } == [.integer(30), .integer(30), .integer(30)])
        // east holds ids 0, 3, …, 87: sum of prices 1.25 * (0 + 3 + … + 87).
        let eastSum = (0..<30).reduce(0.0) { $0 + Double($1 * 3) * 1.25 }
        #expect(rows[2][2] == .real(eastSum) && rows[2][3] == .integer(87))
        #expect(try db.rows("SELECT count(*) FROM sales") == [[.integer(90)]])
    }

    @Test func joinsTwoVersionsOfOneTable() throws {
        let dir = try SQLFixtures.scratchDirectory("versions")
        defer { SQLFixtures.remove(dir) }
        let table = try SQLFixtures.salesTable(in: dir)  // versions 1...3 each append 30 rows
        let db = try Database()
        try db.attach(table, snapshot: try table.snapshot(version: 2), as: "old")
        try db.attach(table, as: "new")
        let counts = try db.rows("SELECT (SELECT count(*) FROM old), (SELECT count(*) FROM new)")
        #expect(counts == [[.integer(60), .integer(90)]])
        let added = try db.rows("SELECT count(*), min(new.id) FROM new LEFT JOIN old ON old.id = new.id WHERE old.id IS NULL")
        #expect(added == [[.integer(30), .integer(60)]])
        let both = try db.rows("SELECT count(*) FROM old JOIN new USING (id) WHERE new.price = old.price")
        #expect(both == [[.integer(60)]])
    }

    @Test func pushesPartitionAndStatisticsFiltersIntoScans() throws {
        let dir = try SQLFixtures.scratchDirectory("pushdown")
        defer { SQLFixtures.remove(dir) }
        let table = try SQLFixtures.salesTable(in: dir)  // 3 appends × 3 regions = 9 files
        let db = try Database()
        let source = try db.attach(table, as: "sales")
        #expect(source.snapshot.activeFiles.count == 9)

        // Partition pruning: one region, three files.
        #expect(try db.rows("SELECT count(*) FROM sales WHERE region = 'west'") == [[.integer(30)]])
        #expect(source.statistics.filesRead == 3 && source.statistics.filesSkipped == 6)
        #expect(source.statistics.lastCondition == .comparison(column: "region", op: .equal, value: .string("west")))
        #expect(source.statistics.lastColumns == ["region"])

        // Statistics skipping: ids 60..<90 are in the third append's files only.
        let before = source.statistics.filesRead
        #expect(try db.rows("SELECT count(*) FROM sales WHERE id >= 60") == [[.integer(30)]])
        #expect(source.statistics.filesRead - before == 3)

        // IN lists arrive whole.
        let inBefore = source.statistics.filesRead
        #expect(try db.rows("SELECT count(*) FROM sales WHERE region IN ('east', 'north') AND id < 30") == [[.integer(20)]])
        #expect(source.statistics.filesRead - inBefore == 2)

        // IS NULL, decimals, dates and timestamps.
        #expect(try db.rows("SELECT count(*) FROM sales WHERE amount IS NULL") == [[.integer(12)]])
        #expect(try db.rows("SELECT count(*) FROM sales WHERE price > 100") == [[.integer(9)]])
        #expect(try db.rows("SELECT count(*) FROM sales WHERE price = 1.25") == [[.integer(1)]])
        #expect(try db.rows("SELECT count(*) FROM sales WHERE day = '2024-01-02'") == [[.integer(30)]])
        #expect(try db.rows("SELECT count(*) FROM sales WHERE ts >= '2024-01-02' AND ts < '2024-01-03'") == [[.integer(24)]])
        #expect(try db.rows("SELECT count(*) FROM sales WHERE ts > '2024-01-04T17:00:00.000000Z'") == [[.integer(0)]])
        #expect(try db.rows("SELECT count(*) FROM sales WHERE ts > '2024-01-04T16:00:00.000000Z'") == [[.integer(1)]])
        #expect(try db.rows("SELECT count(*) FROM sales WHERE flag = 1") == [[.integer(45)]])
        #expect(try db.rows("SELECT count(*) FROM sales WHERE id > 88.5") == [[.integer(1)]])
    }

    @Test func pushdownNeverDropsRowsSQLiteKeeps() throws {
        let dir = try SQLFixtures.scratchDirectory("pushdown-safety")
        defer { SQLFixtures.remove(dir) }
        let table = try SQLFixtures.salesTable(in: dir, appends: 2)
        let db = try Database()
        let source = try db.attach(table, as: "sales")
        // Each query is compared with the same query over a plain SQLite copy of the table.
        try db.execute("CREATE TEMP TABLE copy AS SELECT * FROM sales")
        let predicates = [
            "price < 1.25", "price <= 1.25", "price > 73.75", "price >= 73.75", "price = 2.5", "price = 2",
            "amount < 3", "amount > 3.0", "amount IS NULL", "amount IS NOT NULL",
            "id < 2.5", "id >= 2.5", "id = 3.0", "id = 3.5",
            "region < 'north'", "region >= 'north'", "region = 'North' COLLATE NOCASE", "region > 5",
            "day < '2024-01-02'", "day > '2024-01-02x'", "day >= '2024-01-02 00:00'",
            "ts < '2024-01-02'", "ts > '2024-01-02 10:00'", "ts = '2024-01-01T05:00:00.000000Z'", "ts <= '2024-01-01T05:00:00Z'",
            "flag = 0", "flag = 2", "flag > 0", "payload IS NOT NULL", "tags IS NULL",
            "id IN (1, 2.0, 3.5)", "region IN ('east', 'south')", "day IN ('2024-01-01', '2024-01-03')",
        ]
        var pushedCount = 0
        for predicate in predicates {
            let pushed = try db.rows("SELECT id FROM sales WHERE \(predicate) ORDER BY id")
            if source.statistics.lastCondition != nil { pushedCount += 1 }
            let plain = try db.rows("SELECT id FROM copy WHERE \(predicate) ORDER BY id")
            #expect(pushed == plain, "\(predicate)")
        }
        // Most predicates were pushed (not: collations, booleans beyond = 0/1, cross-type values).
        #expect(pushedCount >= predicates.count - 6, "\(pushedCount) of \(predicates.count) pushed")
    }

    @Test func streamsOneBatchAtATimeAndStopsEarly() throws {
        let dir = try SQLFixtures.scratchDirectory("limit")
        defer { SQLFixtures.remove(dir) }
        let table = try SQLFixtures.salesTable(in: dir, partitioned: false)
        let db = try Database()
        let source = try db.attach(table, as: "sales")
        #expect(try db.rows("SELECT id FROM sales LIMIT 2").count == 2)
        #expect(source.statistics.rowsReturned <= 30)
    }

    @Test func reportsSQLiteAndFloeErrors() throws {
        let dir = try SQLFixtures.scratchDirectory("errors")
        defer { SQLFixtures.remove(dir) }
        let table = try SQLFixtures.salesTable(in: dir, partitioned: false, appends: 1)
        let db = try Database()
        try db.attach(table, as: "sales")
        #expect { try db.rows("SELEC 1") } throws: { ($0 as? SQLiteError)?.message.contains("syntax error") == true }
        #expect { try db.rows("SELECT nope FROM sales") } throws: { ($0 as? SQLiteError)?.message == "no such column: nope" }
        #expect { try db.execute("DELETE FROM sales") } throws: { ($0 as? SQLiteError)?.message.contains("may not be modified") == true }
        #expect { try db.attach(table, as: "SALES") } throws: { $0 is SQLiteError }
        #expect { try db.attach(Table(path: dir + "/missing"), as: "m") } throws: { ($0 as? DeltaError)?.code == .tableNotFound }
        // A data file deleted behind Floe's back: the scan's error surfaces through SQLite.
        let file = try #require(try table.snapshot().activeFiles.first)
        try FileManager.default.removeItem(atPath: dir + "/" + file.decodedPath)
        #expect { try db.rows("SELECT count(*) FROM sales") } throws: { error in
            guard let e = error as? SQLiteError else { return false }
            return e.message.contains("table sales:") && e.message.contains(file.decodedPath)
        }
    }
}
