import Foundation
import Testing
import FloeColumnar
@testable import Floe

/// The golden tables (every directory with a `_delta_log` under the golden root) and the versions
/// their logs can reconstruct.
enum GoldenTables {
    struct Job: Sendable {
        let name: String
        let root: String
        let versions: ClosedRange<Int64>
    }

    static let jobs: [Job] = {
        guard let root = Fixtures.goldenRoot else { return [] }
        var found: [Job] = []
        func visit(_ dir: String, _ name: String, depth: Int) {
            let fm = FileManager.default
            if fm.fileExists(atPath: dir + "/_delta_log") {
                if let listing = try? LogListing(storage: LocalStorage(root: dir), startingAt: nil),
                   let earliest = listing.earliestVersion, let latest = listing.latestVersion, earliest <= latest {
                    found.append(Job(name: name, root: dir, versions: earliest...latest))
                }
                return
            }
            guard depth < 2, let children = try? fm.contentsOfDirectory(atPath: dir) else { return }
            for child in children.sorted() where !child.hasPrefix(".") && !child.hasPrefix("_") {
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: dir + "/" + child, isDirectory: &isDir), isDir.boolValue {
                    visit(dir + "/" + child, name.isEmpty ? child : name + "/" + child, depth: depth + 1)
                }
            }
        }
        visit(root, "", depth: 0)
        return found
    }()

    /// Tables Floe must refuse, and the feature each refusal must name.
    static let refusals: [String: String] = [
        "simple_table_features": "blahabl",
        "spark-shredded-variant-preview-delta": "variantShredding-preview",
    ]

    /// Versions Floe cannot read for a reason other than a refused feature or a data file absent
    /// from the fixture: (table, version) → error code and a word the message must contain.
    static let expectedErrors: [String: (DeltaError.Code, String)] = [
        // Version 0 of a DLT pipeline: a metaData action without schemaString (delta-rs fails too).
        "delta-live-table@0": (.corruptLog, "schemaString"),
    ]

    /// Versions whose rows differ from delta-rs for a known reason, checked separately (see
    /// ``GoldenTablesTests/edgeTimestamps()``).
    static let deltaRSDivergences: Set<String> = [
        // INT96 timestamps of 9999-12-30/31: pyarrow and delta-rs decode INT96 through int64
        // nanoseconds, which overflows (dates in 1816); Floe decodes them to µs directly.
        "table_with_edge_timestamps@0",
    ]
}

/// Reads every golden table at every version its log allows and compares the rows, order-
/// insensitively, with delta-rs (`deltalake` through DataFusion, which applies deletion vectors),
/// or — where delta-rs cannot read a version — with values derived from the data files Floe's
/// snapshot lists. Versions whose data files are absent from the fixture must fail with
/// `fileNotFound` in both; tables using unsupported features must be refused naming the feature.
@Suite("Golden tables, every version", .enabled(if: Fixtures.goldenAvailable, "needs ../shared/golden/delta-rs"))
struct GoldenTablesTests {
    struct Reading {
        let table: String
        let version: Int64
        var error: DeltaError?
        var rows = 0
        /// Data or deletion vector files of the snapshot that are absent from the fixture.
        var missingFiles: [String] = []
    }

    /// Reads one version with Floe and appends its JSON line to `out`.
    static func read(_ job: GoldenTables.Job, version: Int64, into out: inout [UInt8]) -> Reading {
        var reading = Reading(table: job.name, version: version)
        var json = GoldenValueJSON()
        json.append("{\"table\":")
        json.string(job.name)
        json.append(",\"version\":\(version)")
        do {
            let table = Table(path: job.root)
            let snapshot = try table.snapshot(version: version)
            // The files, for the comparison with the files' own values when delta-rs cannot read.
            json.append(",\"partitionColumns\":[")
            for (i, c) in snapshot.partitionColumns.enumerated() {
                if i > 0 { json.append(",") }
                json.string(c)
            }
            for add in snapshot.activeFiles {
                var paths = [add.decodedPath]
                if let dv = add.deletionVector, let path = try? dv.relativePath(in: table.storage) { paths.append(path) }
                for path in paths where !FileManager.default.fileExists(atPath: job.root + "/" + path) {
                    reading.missingFiles.append(path)
                }
            }
            json.append("],\"files\":[")
            for (i, add) in snapshot.activeFiles.enumerated() {
                if i > 0 { json.append(",") }
                json.append("{\"path\":")
                json.string(job.root + "/" + add.decodedPath)
                if let dv = add.deletionVector, reading.missingFiles.isEmpty {
                    let vector = try DeletionVector.load(dv, storage: table.storage, dataFile: add.path)
                    json.append(",\"deleted\":[" + vector.rowIndexes.map(String.init).joined(separator: ",") + "]")
                }
                json.append("}")
            }
            json.append("]")
            let scan = try table.scan(snapshot)
            let batches = try scan.readAll()
            json.append(",\"columns\":[")
            for (i, f) in scan.schema.fields.enumerated() {
                if i > 0 { json.append(",") }
                json.string(f.name)
            }
            let count = batches.reduce(0) { $0 + $1.count }
            if count > Self.fullComparisonLimit && !Self.fullComparison {
                // A million-row version: per-column summaries (row count, nulls, integer sums,
                // string byte lengths) instead of rows; FLOE_GOLDEN_FULL=1 compares every row.
                json.append("],\"count\":\(count),\"summary\":[")
                for (c, field) in scan.schema.fields.enumerated() {
                    if c > 0 { json.append(",") }
                    json.append(Self.summary(batches.map { $0.columns[c] }, type: field.dataType))
                }
                json.append("]}\n")
                reading.rows = count
                out.append(contentsOf: json.bytes)
                return reading
            }
            json.append("],\"rows\":[")
            var first = true
            for batch in batches {
                for r in 0..<batch.count {
                    json.append(first ? "[" : ",[")
                    first = false
                    for (c, column) in batch.columns.enumerated() {
                        if c > 0 { json.append(",") }
                        json.cell(column, r)
                    }
                    json.append("]")
                }
                reading.rows += batch.count
            }
            json.append("]}\n")
        } catch {
            let e = error as? DeltaError ?? DeltaError(.internalError, "\(error)")
            reading.error = e
            json = GoldenValueJSON()
            json.append("{\"table\":")
            json.string(job.name)
            json.append(",\"version\":\(version),\"code\":")
            json.string(e.code.rawValue)
            json.append(",\"error\":")
            json.string(e.message)
            json.append("}\n")
        }
        out.append(contentsOf: json.bytes)
        return reading
    }

    /// Versions with more rows than this are compared by column summaries unless FLOE_GOLDEN_FULL
    /// is set (encoding a million rows as JSON takes most of a minute in a debug build).
    static let fullComparisonLimit = 100_000
    static let fullComparison = ProcessInfo.processInfo.environment["FLOE_GOLDEN_FULL"] != nil

    /// `{"nulls": n, "sum": s}` for integer columns, `{"nulls": n, "bytes": b}` for strings and
    /// binary (UTF-8 bytes), `{"nulls": n}` otherwise.
    static func summary(_ chunks: [Column], type: DataType) -> String {
        var nulls = 0, sum: Int128 = 0, bytes = 0
        for column in chunks {
            nulls += column.nullCount
            for row in 0..<column.count where column.isValid(at: row) {
                switch type {
                case .int8: sum += Int128(column.buffers[0].value(at: row, as: Int8.self))
                case .int16: sum += Int128(column.buffers[0].value(at: row, as: Int16.self))
                case .int32: sum += Int128(column.buffers[0].value(at: row, as: Int32.self))
                case .int64: sum += Int128(column.buffers[0].value(at: row, as: Int64.self))
                case .string, .binary: bytes += column.offsetRange(at: row).count
                default: break
                }
            }
        }
        switch type {
        case .int8, .int16, .int32, .int64: return "{\"nulls\":\(nulls),\"sum\":\(sum)}"
        case .string, .binary: return "{\"nulls\":\(nulls),\"bytes\":\(bytes)}"
        default: return "{\"nulls\":\(nulls)}"
        }
    }

    static func python(_ script: String, _ arguments: [String]) throws -> Process {
        guard let executable = TestPython.executable else { throw DeltaError(.internalError, "no Python") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-c", script] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static let interopFolder: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Interop").path

    @Test("every golden table at every version matches delta-rs or the files, or is refused naming the feature")
    func everyVersion() throws {
        let started = Date()
        let jobs = GoldenTables.jobs
        #expect(jobs.count >= 45, "golden tables found: \(jobs.count)")
        let work = try Fixtures.scratchDirectory("golden")
        // FLOE_GOLDEN_KEEP=1 keeps the JSON files (Floe's and delta-rs's readings, the report).
        let keep = ProcessInfo.processInfo.environment["FLOE_GOLDEN_KEEP"] != nil
        defer { if keep { print("golden readings kept in \(work)") } else { Fixtures.remove(work) } }

        // delta-rs reads all tables in one Python process while Floe reads them here.
        var dump: Process?
        if TestPython.hasDeltalake {
            var jobsJSON = GoldenValueJSON()
            jobsJSON.append("[")
            for (i, job) in jobs.enumerated() {
                if i > 0 { jobsJSON.append(",") }
                jobsJSON.append("{\"name\":")
                jobsJSON.string(job.name)
                jobsJSON.append(",\"root\":")
                jobsJSON.string(job.root)
                jobsJSON.append(",\"versions\":[" + job.versions.map(String.init).joined(separator: ",") + "]}")
            }
            jobsJSON.append("]")
            try Data(jobsJSON.bytes).write(to: URL(fileURLWithPath: work + "/jobs.json"))
            dump = try Self.python(goldenDeltaDumpScript, [Self.interopFolder, work + "/delta.jsonl", work + "/jobs.json",
                                                           String(Self.fullComparison ? Int.max : Self.fullComparisonLimit)])
        }

        var floeJSON: [UInt8] = []
        var readings: [Reading] = []
        var slowest: [(String, Double)] = []
        for job in jobs {
            let jobStarted = Date()
            for version in job.versions {
                readings.append(Self.read(job, version: version, into: &floeJSON))
            }
            slowest.append((job.name, Date().timeIntervalSince(jobStarted)))
        }
        slowest.sort { $0.1 > $1.1 }
        try Data(floeJSON).write(to: URL(fileURLWithPath: work + "/floe.jsonl"))
        let floeSeconds = Date().timeIntervalSince(started)

        // Expectations that hold without Python: refusals name the feature; every other failure
        // is a data file missing from the fixture.
        for reading in readings {
            guard let error = reading.error else {
                #expect(GoldenTables.refusals[reading.table] == nil, "\(reading.table) v\(reading.version) should be refused")
                continue
            }
            if let feature = GoldenTables.refusals[reading.table] {
                #expect(error.code == .unsupportedFeature && error.message.contains(feature),
                        "\(reading.table) v\(reading.version): refusal should name \(feature): \(error)")
            } else if let (code, word) = GoldenTables.expectedErrors["\(reading.table)@\(reading.version)"] {
                #expect(error.code == code && error.message.contains(word), "\(reading.table) v\(reading.version): \(error)")
            } else {
                // Only a file really absent from the fixture may stop a read, and the error names it.
                #expect(error.code == .fileNotFound && !reading.missingFiles.isEmpty
                        && reading.missingFiles.contains { error.message.contains($0) },
                        "\(reading.table) v\(reading.version): \(error)")
            }
        }

        var statuses: [String: [String: String]] = [:]
        var phases: [String] = []
        if let dump {
            dump.waitUntilExit()
            phases.append("delta-rs done at \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            #expect(dump.terminationStatus == 0, "the deltalake dump failed")
        }
        if TestPython.hasPyarrow {
            let deltaFile = dump != nil && FileManager.default.fileExists(atPath: work + "/delta.jsonl") ? work + "/delta.jsonl" : "-"
            let compare = try Self.python(goldenCompareScript, [Self.interopFolder, work + "/floe.jsonl", deltaFile, work + "/report.jsonl"])
            compare.waitUntilExit()
            phases.append("comparison done at \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            try #require(compare.terminationStatus == 0, "the comparison script failed")
            let report = try String(contentsOfFile: work + "/report.jsonl", encoding: .utf8)
            for line in report.split(separator: "\n") {
                let record = try #require(try JSONValue.parse(Array(line.utf8)).objectValue)
                let table = record["table"]?.stringValue ?? "?", version = record["version"]?.int64Value ?? -1
                let status = record["status"]?.stringValue ?? "?", detail = record["detail"]?.stringValue ?? ""
                statuses[table, default: [:]][status, default: ""] += " v\(version)"
                let key = "\(table)@\(version)"
                let floeFailed = readings.contains { $0.table == table && $0.version == version && $0.error != nil }
                switch status {
                case "match", "summary-match", "fallback-match": break
                case _ where floeFailed: break  // judged above, without Python
                case "mismatch" where GoldenTables.deltaRSDivergences.contains(key): break
                default:
                    Issue.record("\(table) v\(version): \(status): \(detail)")
                }
            }
        }
        let versions = readings.count
        let compared = statuses.values.reduce(0) { $0 + ($1["match"]?.split(separator: " ").count ?? 0) }
        var summary = ["golden tables: \(jobs.count) tables, \(versions) versions; \(compared) compared row for row with delta-rs; Floe read in \(String(format: "%.1f", floeSeconds)) s, \(phases.joined(separator: ", ")), total \(String(format: "%.1f", Date().timeIntervalSince(started))) s; slowest Floe reads: \(slowest.prefix(3).map { "\($0.0) \(String(format: "%.1f", $0.1)) s" }.joined(separator: ", "))"]
        for job in jobs {
            let s = statuses[job.name].map { $0.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: "; ") } ?? "not compared"
            let rows = readings.last { $0.table == job.name }.map { $0.error == nil ? "\($0.rows) rows at v\($0.version)" : "latest: \($0.error?.code.rawValue ?? "")" } ?? ""
            summary.append("  \(job.name) [\(job.versions.lowerBound)...\(job.versions.upperBound)] \(rows) — \(s)")
        }
        print(summary.joined(separator: "\n"))
    }

    @Test("INT96 timestamps beyond 2262 (table_with_edge_timestamps)")
    func edgeTimestamps() throws {
        let table = Table(path: Fixtures.golden("table_with_edge_timestamps"))
        let scan = try table.scan()
        var rows: [[Scalar]] = []
        for b in try scan.readAll() { for r in 0..<b.count { rows.append(b.columns.map { $0.scalar(at: r) }) } }
        rows.sort { "\($0[2])" < "\($1[2])" }
        #expect(rows.count == 2)
        // The in-range INT96 column and the integers are right.
        #expect(rows.map { $0[1] } == [.int(1_640_995_200_000_000), .int(1_643_673_600_000_000)])
        #expect(rows.map { $0[2] } == [.int(1), .int(2)])
        // 9999-12-31 and 9999-12-30 (the statistics say so), beyond int64 nanoseconds: Floe decodes
        // INT96 straight to microseconds.
        #expect(rows.map { $0[0] } == [.int(253_402_214_400_000_000), .int(253_402_128_000_000_000)])
    }
}
