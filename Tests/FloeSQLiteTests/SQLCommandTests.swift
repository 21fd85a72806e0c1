import Foundation
import Testing
import Floe
import FloeColumnar

/// The `floe sql` contract (Spec/CLI.md): output formats, time travel, pushdown, exit codes.
@Suite(.enabled(if: FloeCLI.executable != nil, "the floe executable was not built"))
struct SQLCommandTests {
    @Test func joinsAVersionWithTheLatestInNDJSON() throws {
        let dir = try SQLFixtures.scratchDirectory("cli-join")
        defer { SQLFixtures.remove(dir) }
        _ = try SQLFixtures.salesTable(in: dir)
        let result = try FloeCLI.run([
            "sql", "SELECT n.id, n.region, n.ts, n.tags FROM n LEFT JOIN o USING (id) WHERE o.id IS NULL ORDER BY n.id LIMIT 2",
            "--table", "o=\(dir)@2", "--table", "n=\(dir)", "--format", "ndjson",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let objects = try FloeCLI.objects(result.stdout)
        #expect(objects.count == 2)
        #expect(objects.first?["id"] as? Int == 60 && objects.first?["region"] as? String == "east")
        #expect(objects.first?["ts"] as? String == "2024-01-03T12:00:00.000000Z")
        #expect(objects.first?["tags"] as? String == "[\"t60\",\"x\"]")
    }

    @Test func aggregatesAsCSVAndTable() throws {
        let dir = try SQLFixtures.scratchDirectory("cli-agg")
        defer { SQLFixtures.remove(dir) }
        _ = try SQLFixtures.salesTable(in: dir)
        let csv = try FloeCLI.run(["sql", "SELECT region, count(*) AS n, sum(price) AS total FROM s GROUP BY region ORDER BY n DESC, region",
                                   "--table", "s=\(dir)", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout == "region,n,total\neast,30,1631.25\nnorth,30,1706.25\nwest,30,1668.75\n")
        let table = try FloeCLI.run(["sql", "SELECT count(*) AS n FROM s WHERE region = 'west'", "--table", "s=\(dir)"])
        #expect(table.stdout.contains("30") && table.stdout.hasSuffix("(1 row)\n"))
        // No rows: CSV still has its header.
        let empty = try FloeCLI.run(["sql", "SELECT id FROM s WHERE id < 0", "--table", "s=\(dir)", "--format", "csv"])
        #expect(empty.status == 0 && empty.stdout == "id\n")
    }

    @Test func timeTravelsByVersionAndTimestamp() throws {
        let dir = try SQLFixtures.scratchDirectory("cli-tt")
        defer { SQLFixtures.remove(dir) }
        let table = try SQLFixtures.salesTable(in: dir, appends: 2)
        // Version 1's commit time (microseconds, UTC) names version 1.
        let stamp = Temporal.formatTimestamp(micros: try table.snapshot(version: 1).timestamp * 1000, utc: true)
        let result = try FloeCLI.run(["sql", "SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b)",
                                      "--table", "a=\(dir)@1", "--table", "b=\(dir)@\(stamp)", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").last == "30,30")
    }

    @Test func statisticsShowPushedDownFilters() throws {
        let dir = try SQLFixtures.scratchDirectory("cli-stats")
        defer { SQLFixtures.remove(dir) }
        _ = try SQLFixtures.salesTable(in: dir)  // 9 files
        let result = try FloeCLI.run(["sql", "SELECT count(*) FROM s WHERE region = 'north' AND id >= 60",
                                      "--table", "s=\(dir)", "--format", "csv", "--stats"])
        #expect(result.status == 0)
        #expect(result.stdout == "count(*)\n10\n")
        #expect(result.stderr == "table s (version 3): 1 scan, 1 files read, 8 skipped, 10 rows\n")
    }

    @Test func errorsExitWithOneLineOnStandardError() throws {
        let dir = try SQLFixtures.scratchDirectory("cli-errors")
        defer { SQLFixtures.remove(dir) }
        _ = try SQLFixtures.salesTable(in: dir, appends: 1)
        let syntax = try FloeCLI.run(["sql", "SELEC * FROM s", "--table", "s=\(dir)"])
        #expect(syntax.status == 1 && syntax.stdout.isEmpty)
        #expect(syntax.stderr == "error: near \"SELEC\": syntax error\n")
        let column = try FloeCLI.run(["sql", "SELECT nope FROM s", "--table", "s=\(dir)"])
        #expect(column.status == 1 && column.stderr == "error: no such column: nope\n")
        let missing = try FloeCLI.run(["sql", "SELECT 1", "--table", "s=\(dir)/nowhere"])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("error: no Delta table at ") && missing.stderr.split(separator: "\n").count == 1)
        let version = try FloeCLI.run(["sql", "SELECT 1", "--table", "s=\(dir)@7"])
        #expect(version.status == 1 && version.stderr.contains("version 7") && version.stderr.contains("does not exist"))
        let usage = try FloeCLI.run(["sql", "SELECT 1", "--table", "nameonly"])
        #expect(usage.status == 2)
        let spec = try FloeCLI.run(["sql", "SELECT 1", "--table", "s=\(dir)@yesterday"])
        #expect(spec.status == 2 && spec.stderr.contains("neither a version number nor an ISO 8601 timestamp"))
    }
}
