import Foundation
import Testing
import Floe
import FloeColumnar
@testable import floe

/// A partitioned table with `appends` small files in each of two partitions.
private func smallFilesTable(_ dir: String, appends: Int = 3, changeDataFeed: Bool = false) throws -> Table {
    let schema = StructType([StructField(name: "id", type: .long, nullable: false), StructField(name: "part", type: .string)])
    let table = Table(path: dir)
    try table.create(schema: schema, partitionColumns: ["part"],
                     configuration: changeDataFeed ? ["delta.enableChangeDataFeed": "true"] : [:])
    let arrow = try schema.arrowSchema()
    for k in 0..<appends {
        let ids = (k * 4)..<(k * 4 + 4)
        try table.append([try RecordBatch(schema: arrow, columns: [
            try Column(ids.map { .int(Int64($0)) }, type: .int64),
            try Column(ids.map { .string($0 % 2 == 0 ? "even" : "odd") }, type: .string),
        ])])
    }
    return table
}

@Suite(.enabled(if: FloeCLI.executable != nil, "the floe executable was not built"))
struct MaintenanceCommandTests {
    @Test func changesPrintsTheChangeDataFeed() throws {
        let dir = try SQLFixtures.scratchDirectory("cli-changes")
        defer { SQLFixtures.remove(dir) }
        let table = try smallFilesTable(dir, appends: 2, changeDataFeed: true)
        let result = try FloeCLI.run(["changes", dir, "--from", "2", "--format", "ndjson"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try FloeCLI.objects(result.stdout)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0["_change_type"] as? String == "insert" && $0["_commit_version"] as? Int == 2 })
        #expect(Set(rows.compactMap { $0["id"] as? Int }) == [4, 5, 6, 7])
        let stamp = Temporal.formatTimestamp(micros: try table.snapshot(version: 2).timestamp * 1000, utc: true)
        #expect(rows.first?["_commit_timestamp"] as? String == stamp)
        #expect(Array(rows.first?.keys.sorted() ?? []) == ["_change_type", "_commit_timestamp", "_commit_version", "id", "part"])

        let csv = try FloeCLI.run(["changes", dir, "--from", "1", "--to", "1", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("id,part,_change_type,_commit_version,_commit_timestamp\n"))
        #expect(csv.stdout.split(separator: "\n").count == 5)

        let range = try FloeCLI.run(["changes", dir, "--from", "9"])
        #expect(range.status == 1 && range.stderr.hasPrefix("error: change data feed start version 9") && range.stdout.isEmpty)
        let usage = try FloeCLI.run(["changes", dir, "--from", "2", "--to", "1"])
        #expect(usage.status == 2)
        let plainDir = try SQLFixtures.scratchDirectory("cli-changes-off")
        defer { SQLFixtures.remove(plainDir) }
        _ = try smallFilesTable(plainDir, appends: 1)
        let disabled = try FloeCLI.run(["changes", plainDir, "--from", "0"])
        #expect(disabled.status == 1 && disabled.stderr.contains("does not have the change data feed enabled"))
    }

    @Test func optimizeCompactsAndReports() throws {
        let dir = try SQLFixtures.scratchDirectory("cli-optimize")
        defer { SQLFixtures.remove(dir) }
        let table = try smallFilesTable(dir)  // 3 files in each of part=even, part=odd
        let partial = try FloeCLI.run(["optimize", dir, "--where", "part = 'odd'"])
        #expect(partial.status == 0, "\(partial.stderr)")
        let lines = partial.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("part=odd: 3 files (") == true && lines.first?.hasSuffix(" bytes, 6 rows)") == true)
        #expect(lines.last?.hasPrefix("version 4: compacted 3 files") == true)

        let json = try FloeCLI.run(["optimize", dir, "--target-size", "1MiB", "--format", "json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["version"] as? Int == 5 && object?["filesRemoved"] as? Int == 3 && object?["skippedFiles"] as? Int == 1)
        let compactions = object?["compactions"] as? [[String: Any]]
        #expect((compactions?.first?["partition"] as? [String: Any])?["part"] as? String == "even")

        let nothing = try FloeCLI.run(["optimize", dir])
        #expect(nothing.status == 0 && nothing.stdout.hasPrefix("nothing to compact: 2 files considered"))
        #expect(try table.snapshot().activeFiles.count == 2)
        let count = try FloeCLI.run(["sql", "SELECT count(*) FROM t", "--table", "t=\(dir)", "--format", "csv"])
        #expect(count.stdout == "count(*)\n12\n")

        let dataColumn = try FloeCLI.run(["optimize", dir, "--where", "id > 3"])
        #expect(dataColumn.status == 1 && dataColumn.stderr.contains("only to partition columns"))
        let syntax = try FloeCLI.run(["optimize", dir, "--where", "part = "])
        // A predicate that does not parse is a usage error (Spec/CLI.md), still naming the position.
        #expect(syntax.status == 2 && syntax.stderr.contains("position"), "\(syntax.stderr)")
        let size = try FloeCLI.run(["optimize", dir, "--target-size", "0"])
        #expect(size.status == 2)
        let missing = try FloeCLI.run(["optimize", dir + "/nope"])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("error: no Delta table at"))
    }

    @Test func vacuumListsAndDeletesFiles() throws {
        let dir = try SQLFixtures.scratchDirectory("cli-vacuum")
        defer { SQLFixtures.remove(dir) }
        _ = try smallFilesTable(dir, appends: 1)
        let orphan = dir + "/part=odd/orphan.parquet"
        try Data("x".utf8).write(to: URL(fileURLWithPath: orphan))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -30 * 86_400)], ofItemAtPath: orphan)

        let dry = try FloeCLI.run(["vacuum", dir, "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout == "part=odd/orphan.parquet\ndry run: would delete 1 file (1 bytes), retention 168 hours\n")
        #expect(FileManager.default.fileExists(atPath: orphan))

        let short = try FloeCLI.run(["vacuum", dir, "--retain-hours", "1"])
        #expect(short.status == 1 && short.stderr.contains("shorter than the table's delta.deletedFileRetentionDuration"))
        let forced = try FloeCLI.run(["vacuum", dir, "--retain-hours", "1", "--force", "--dry-run"])
        #expect(forced.status == 0 && forced.stdout.hasSuffix("retention 1 hours\n"))

        let real = try FloeCLI.run(["vacuum", dir])
        #expect(real.status == 0)
        #expect(real.stdout == "part=odd/orphan.parquet\ndeleted 1 file (1 bytes) and 0 empty directories, retention 168 hours (versions 2 and 3)\n")
        #expect(real.stderr.isEmpty)  // no progress when standard error is not a terminal
        #expect(!FileManager.default.fileExists(atPath: orphan))
        let usage = try FloeCLI.run(["vacuum", dir, "--retain-hours", "-3"])
        #expect(usage.status == 2)
    }

    @Test func targetSizesAcceptUnits() {
        #expect(OptimizeCommand.byteCount("134217728") == 134_217_728)
        #expect(OptimizeCommand.byteCount("128MiB") == 128 << 20)
        #expect(OptimizeCommand.byteCount("64 mb") == 64_000_000)
        #expect(OptimizeCommand.byteCount("1G") == 1 << 30)
        #expect(OptimizeCommand.byteCount("0") == nil && OptimizeCommand.byteCount("-5") == nil && OptimizeCommand.byteCount("5XB") == nil)
    }

    @Test func sqlRowsBecomeTypedBatches() throws {
        let batch = try SQLCommand.batch([[.integer(1), .real(2.5), .text("x"), .null, .integer(3)],
                                          [.integer(2), .integer(4), .blob([1]), .null, .blob([2])]],
                                         names: ["i", "r", "t", "n", "m"])
        #expect(batch.schema.fields.map(\.dataType) == [.int64, .float64, .string, .string, .string])
        #expect(batch.columns[1].scalar(at: 1) == .float(4))
        #expect(batch.columns[2].scalar(at: 1) == .string("AQ=="))
        #expect(batch.columns[4].scalar(at: 0) == .string("3"))
    }
}
