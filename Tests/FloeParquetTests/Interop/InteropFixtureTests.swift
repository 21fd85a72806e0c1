import Foundation
import Testing
import FloeColumnar
@testable import FloeParquet

/// Floe reads every pyarrow-written fixture of Tests/Interop (codecs, encodings, page versions,
/// every type, nesting, nulls) exactly as pyarrow reads it back.
@Suite("Interop: pyarrow fixtures read by Floe",
       .enabled(if: InteropPython.isConfigured, InteropPython.unsetMessage),
       .enabled(if: InteropPython.isAvailable, InteropPython.noPyarrowMessage))
struct InteropFixtureTests {
    /// Fixtures Floe cannot read by design: the error code and a text the message must contain.
    static let unreadable: [String: (code: ParquetError.Code, mentions: String)] = [
        "codec_brotli": (.unsupported, "BROTLI"),
        // decimal256 (precision 40 and 76): Floe's decimal is 128-bit, precision 1...38.
        "decimals_flba": (.unsupported, "DECIMAL(40,10)"),
    ]

    static func manifest() throws -> (URL, [String]) {
        let dir = try InteropPython.fixtures.get()
        let manifest = try InteropPython.readJSON(dir.appendingPathComponent("manifest.json"))
        let names = manifest["fixtures"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        return (dir, names)
    }

    @Test func everyFixtureReadsAsPyarrowReadsIt() throws {
        let (dir, names) = try Self.manifest()
        #expect(names.count >= 47, "the manifest lists \(names.count) fixtures")
        var compared = 0
        for name in names where Self.unreadable[name] == nil {
            let file = dir.appendingPathComponent(name + ".parquet").path
            let document = try InteropPython.readJSON(dir.appendingPathComponent(name + ".json"))
            do {
                let problems = try InteropCheck.differences(file: file, document: document)
                if !problems.isEmpty { Issue.record("fixture \(name):\n\(problems.joined(separator: "\n"))") }
                compared += 1
            } catch {
                Issue.record("fixture \(name): Floe cannot read it: \(error)")
            }
        }
        #expect(compared == names.filter { Self.unreadable[$0] == nil }.count)
    }

    /// Reading the nested and primitive fixtures with parallel leaf decoding gives the same rows.
    @Test(arguments: ["nested_v1", "nested_v2", "primitives_v2", "many_row_groups"])
    func parallelDecodingReadsTheSame(name: String) throws {
        let (dir, _) = try Self.manifest()
        let document = try InteropPython.readJSON(dir.appendingPathComponent(name + ".json"))
        let problems = try InteropCheck.differences(file: dir.appendingPathComponent(name + ".parquet").path,
                                                    document: document, parallelism: 2)
        if !problems.isEmpty { Issue.record("fixture \(name):\n\(problems.joined(separator: "\n"))") }
    }

    /// Reading one column, or one struct field by its dotted path, gives pyarrow's values of it
    /// (null where an enclosing struct is null); so does reading several in reverse order.
    @Test(arguments: ["nested_v1", "nested_required", "field_ids", "primitives_v2", "arrow_rs_nested"])
    func projectionsReadAsPyarrowReadsThem(name: String) throws {
        let (dir, _) = try Self.manifest()
        let document = try InteropPython.readJSON(dir.appendingPathComponent(name + ".json"))
        let reader = try ParquetFileReader(path: dir.appendingPathComponent(name + ".parquet").path)
        let fields = document["schema"]?.arrayValue?.map(PyarrowField.init) ?? []
        let rows = document["rows"]?.arrayValue ?? []
        // Every top-level column and every path into structs: (path, pyarrow field, value extractor).
        var selections: [(String, PyarrowField, (JSONValue) -> JSONValue)] = []
        func add(_ path: String, _ field: PyarrowField, _ get: @escaping (JSONValue) -> JSONValue) {
            var named = field
            named.name = path
            selections.append((path, named, get))
            guard field.type.hasPrefix("struct<") else { return }
            for child in field.children {
                add(path + "." + child.name, child) { row in get(row)[child.name] ?? .null }
            }
        }
        for field in fields { add(field.name, field) { $0[field.name] ?? .null } }
        for (path, field, get) in selections {
            let batches = try reader.readAll(columns: [path])
            let expected = rows.map { JSONValue.object([JSONValue.Member(key: path, value: get($0))]) }
            if let d = InteropComparer.firstDifference(expected: expected, batches: batches, pyarrow: [field]) {
                Issue.record("fixture \(name), column '\(path)' alone: \(d)")
            }
        }
        let reversed = Array(selections.reversed().prefix(6))
        let batches = try reader.readAll(columns: reversed.map(\.0))
        let expected = rows.map { row in JSONValue.object(reversed.map { JSONValue.Member(key: $0.0, value: $0.2(row)) }) }
        if let d = InteropComparer.firstDifference(expected: expected, batches: batches, pyarrow: reversed.map(\.1)) {
            Issue.record("fixture \(name), columns \(reversed.map(\.0)): \(d)")
        }
    }

    @Test func unreadableFixturesFailWithUnsupported() throws {
        let (dir, names) = try Self.manifest()
        for (name, expected) in Self.unreadable.sorted(by: { $0.key < $1.key }) {
            #expect(names.contains(name), "fixture \(name) is not in the manifest")
            let file = dir.appendingPathComponent(name + ".parquet").path
            do {
                _ = try ParquetFileReader(path: file).readAll()
                Issue.record("fixture \(name): Floe read it, but it should fail with \(expected.code)")
            } catch let error as ParquetError {
                #expect(error.code == expected.code, "fixture \(name): \(error)")
                #expect(error.message.contains(expected.mentions), "fixture \(name): the message should name \(expected.mentions): \(error.message)")
            }
        }
    }
}
