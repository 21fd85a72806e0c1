import Foundation
import Testing
import Floe
import FloeColumnar
import FloeSQLite

/// Scratch tables written with Floe for the SQL tests.
enum SQLFixtures {
    /// A fresh empty directory.
    static func scratchDirectory(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "floe-sqltests-\(label)-\(UUID().uuidString.lowercased())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// The schema of the `sales` table: every SQL type mapping is represented.
    static let schema = StructType([
        StructField(name: "id", type: .long, nullable: false),
        StructField(name: "region", type: .string),
        StructField(name: "amount", type: .double),
        StructField(name: "price", type: .decimal(precision: 10, scale: 2)),
        StructField(name: "day", type: .date),
        StructField(name: "ts", type: .timestamp),
        StructField(name: "flag", type: .boolean),
        StructField(name: "payload", type: .binary),
        StructField(name: "tags", type: .array(ArrayType(elementType: .string))),
    ])

    /// Rows `ids` of the sales table; `region` cycles through `regions`.
    static func batch(_ ids: Range<Int>, regions: [String] = ["east", "west", "north"]) throws -> RecordBatch {
        let arrow = try schema.arrowSchema()
        var rows: [[Scalar]] = []
        for i in ids {
            rows.append([
                .int(Int64(i)),
                .string(regions[i % regions.count]),
                i % 7 == 6 ? .null : .float(Double(i) * 1.5),
                .decimal(Int128(i) * 125),  // i * 1.25
                .int(19_723 + Int64(i % 3)),  // 2024-01-01 + 0...2 days
                .int(1_704_067_200_000_000 + Int64(i) * 3_600_000_000),  // 2024-01-01T00:00Z + i hours
                .bool(i % 2 == 0),
                .binary([UInt8(i % 256), 0xFF]),
                .list([.string("t\(i)"), .string("x")]),
            ])
        }
        let columns = try arrow.fields.enumerated().map { k, f in try Column(rows.map { $0[k] }, type: f.dataType) }
        return try RecordBatch(schema: arrow, columns: columns)
    }

    /// A sales table partitioned by region with `appends` versions of `rowsPerAppend` rows each.
    static func salesTable(in dir: String, partitioned: Bool = true, appends: Int = 3, rowsPerAppend: Int = 30) throws -> Table {
        let table = Table(path: dir)
        try table.create(schema: schema, partitionColumns: partitioned ? ["region"] : [])
        for k in 0..<appends {
            try table.append([try batch((k * rowsPerAppend)..<((k + 1) * rowsPerAppend))])
        }
        return table
    }
}

/// Runs the `floe` executable (built as a test dependency) and captures its output.
enum FloeCLI {
    static let executable: String? = {
        var candidates: [String] = []
        if let first = CommandLine.arguments.first {
            var url = URL(fileURLWithPath: first)
            // .build/<config>/FloePackageTests.xctest[/Contents/MacOS/…] → .build/<config>/floe
            while url.pathComponents.count > 1 {
                url = url.deletingLastPathComponent()
                candidates.append(url.appendingPathComponent("floe").path)
                if url.lastPathComponent == ".build" { break }
            }
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        candidates.append(packageRoot + "/.build/debug/floe")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) && !$0.hasSuffix(".xctest/floe") }
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `floe arguments…`.
    static func run(_ arguments: [String]) throws -> Result {
        guard let executable else { throw CLIUnavailable() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain both pipes concurrently so a large output cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The ndjson lines of stdout parsed as JSON objects.
    static func objects(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw CLIUnavailable()
            }
            return object
        }
    }
}

struct CLIUnavailable: Error {}
