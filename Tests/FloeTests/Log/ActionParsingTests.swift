import Foundation
import Testing
@testable import Floe
import FloeTestSupport

@Suite("Action parsing")
struct ActionParsingTests {
    @Test("every golden commit file parses", .enabled(if: Fixtures.goldenAvailable))
    func goldenCommitsParse() throws {
        let root = try #require(Fixtures.goldenRoot)
        let enumerator = FileManager.default.enumerator(atPath: root)
        var parsed = 0
        var actions = 0
        while let relative = enumerator?.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            guard relative.contains("_delta_log/"), !relative.contains("/."), !name.hasPrefix("."),
                  let file = LogFile(entry: FileEntry(path: name, size: 0, modificationTime: 0)) else { continue }
            switch file.kind {
            case .commit, .uuidCheckpoint(_, true), .compaction: break
            default: continue
            }
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)))
            let result = try Action.parseLines(bytes, source: relative)
            #expect(!result.isEmpty, "\(relative) has no actions")
            actions += result.count
            parsed += 1
        }
        #expect(parsed >= 200)
        #expect(actions > parsed)
    }

    @Test("golden commit files round-trip through serialization", .enabled(if: Fixtures.goldenAvailable))
    func goldenRoundTrip() throws {
        let root = try #require(Fixtures.goldenRoot)
        for table in ["simple_table", "table-with-dv-small", "delta-0.8.0-special-partition", "cdc_ict_table", "table_with_column_mapping"] {
            let log = root + "/" + table + "/_delta_log"
            for name in try FileManager.default.contentsOfDirectory(atPath: log).sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: log + "/" + name)))
                let actions = try Action.parseLines(bytes, source: name)
                let again = try Action.parseLines(Action.commitFileContents(actions), source: name + " (reserialized)")
                #expect(again == actions, "\(table)/\(name)")
            }
        }
    }

    @Test("add action fields and serialization match the log format")
    func addSerialization() throws {
        let line = #"{"add":{"path":"x=A%252FA/part-1.parquet","partitionValues":{"x":"A/A","y":null},"size":460,"modificationTime":1631873480391,"dataChange":true,"stats":"{\"numRecords\":1}","tags":{"INSERTION_TIME":"1"},"deletionVector":{"storageType":"u","pathOrInlineDv":"vBn[lx{q8@P<9BNH/isA","offset":1,"sizeInBytes":36,"cardinality":2},"baseRowId":4,"defaultRowCommitVersion":3,"clusteringProvider":"liquid","unknownField":[1,2]}}"#
        let actions = try Action.parseLines(Array(line.utf8), source: "test")
        guard case .add(let add) = try #require(actions.first) else { Issue.record("not an add"); return }
        #expect(add.path == "x=A%252FA/part-1.parquet")
        #expect(add.decodedPath == "x=A%2FA/part-1.parquet")
        #expect(add.partitionValues["x"] == .some("A/A"))
        #expect(add.partitionValues["y"] == .some(nil))
        #expect(add.stats == #"{"numRecords":1}"#)
        #expect(add.deletionVector?.uniqueID == "uvBn[lx{q8@P<9BNH/isA@1")
        #expect(add.baseRowID == 4)
        let expected = #"{"add":{"path":"x=A%252FA/part-1.parquet","partitionValues":{"x":"A/A","y":null},"size":460,"modificationTime":1631873480391,"dataChange":true,"stats":"{\"numRecords\":1}","tags":{"INSERTION_TIME":"1"},"deletionVector":{"storageType":"u","pathOrInlineDv":"vBn[lx{q8@P<9BNH/isA","offset":1,"sizeInBytes":36,"cardinality":2},"baseRowId":4,"defaultRowCommitVersion":3,"clusteringProvider":"liquid"}}"#
        #expect(Action.add(add).jsonLine(partitionColumns: ["x", "y"]) == expected)
    }

    @Test("commitInfo is preserved exactly")
    func commitInfoPreserved() throws {
        let line = #"{"commitInfo":{"inCommitTimestamp":1783874203271,"timestamp":1783874203271,"operation":"CREATE OR REPLACE TABLE","operationParameters":{"partitionBy":"[\"birthyear\"]","description":null,"isManaged":"false"},"isBlindAppend":true,"operationMetrics":{},"engineInfo":"Apache-Spark/4.1.2 Delta-Lake/4.3.1","nested":{"a":[1.5e3,-0,true]}}}"#
        let actions = try Action.parseLines(Array(line.utf8), source: "test")
        guard case .commitInfo(let info) = try #require(actions.first) else { Issue.record("not commitInfo"); return }
        #expect(info.inCommitTimestamp == 1783874203271)
        #expect(info.operation == "CREATE OR REPLACE TABLE")
        #expect(info.operationParameters?["partitionBy"] == #"["birthyear"]"#)
        #expect(info.operationParameters?["description"] == nil)
        #expect(info.isBlindAppend == true)
        #expect(info.engineInfo == "Apache-Spark/4.1.2 Delta-Lake/4.3.1")
        #expect(Action.commitInfo(info).jsonLine() == line)
    }

    @Test("blank lines and unknown actions are ignored")
    func tolerance() throws {
        let text = "\n" + Fixtures.protocolLine + "\n\n  \n{\"futureAction\":{\"x\":1}}\n{\"add\":null}\r\n" + Fixtures.addLine("a.parquet") + "\r\n"
        let actions = try Action.parseLines(Array(text.utf8), source: "t")
        #expect(actions.count == 2)
    }

    @Test("malformed JSON names the file and line")
    func malformed() throws {
        let text = Fixtures.protocolLine + "\n{\"add\":{\"path\":\"a\",}\n" + Fixtures.addLine("b") + "\n"
        let error = try #require(throws: DeltaError.self) { try Action.parseLines(Array(text.utf8), source: "00000000000000000003.json") }
        #expect(error.code == .corruptLog)
        #expect(error.message.contains("00000000000000000003.json line 2"))
    }

    @Test("a torn last line is reported as truncated")
    func tornLastLine() throws {
        let text = Fixtures.protocolLine + "\n" + String(Fixtures.addLine("b").prefix(40))
        let error = try #require(throws: DeltaError.self) { try Action.parseLines(Array(text.utf8), source: "v.json") }
        #expect(error.code == .corruptLog)
        #expect(error.message.contains("line 2"))
        #expect(error.message.contains("truncated"))
    }

    @Test("missing required fields and wrong types are errors")
    func requiredFields() throws {
        for line in [#"{"add":{"partitionValues":{},"size":1}}"#, #"{"add":{"path":"a","size":"big"}}"#,
                     #"{"metaData":{"format":{"provider":"parquet","options":{}},"schemaString":"{}","partitionColumns":[],"configuration":{}}}"#,
                     #"{"protocol":{"minReaderVersion":1}}"#, #"{"txn":{"appId":"a"}}"#, #"[1,2]"#, #"{"add":5}"#] {
            let error = try #require(throws: DeltaError.self, "\(line)") { try Action.parseLines(Array(line.utf8), source: "f.json") }
            #expect(error.code == .corruptLog)
        }
    }

    @Test("every action kind round-trips")
    func allKinds() throws {
        let actions: [Action] = [
            .commitInfo(CommitInfo(fields: ["timestamp": .int(5), "operation": .string("WRITE")])),
            .protocol(ProtocolAction(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [.deletionVectors], writerFeatures: [.deletionVectors, .inCommitTimestamp])),
            .metadata(Metadata(id: "id", name: "n", description: "d", schemaString: "{}", partitionColumns: ["p"], configuration: ["k": "v"], createdTime: 9)),
            .add(AddFile(path: "p=1/a b.parquet", partitionValues: ["p": "1"], size: 10, modificationTime: 11)),
            .remove(RemoveFile(path: "r.parquet", deletionTimestamp: 12, dataChange: false, extendedFileMetadata: true, partitionValues: ["p": nil], size: 5)),
            .cdc(AddCDCFile(path: "_change_data/c.parquet", size: 3)),
            .txn(SetTransaction(appID: "app", version: 7, lastUpdated: 1)),
            .domainMetadata(DomainMetadata(domain: "delta.x", configuration: "{}", removed: true)),
            .checkpointMetadata(CheckpointMetadata(version: 4, tags: ["a": "b"])),
            .sidecar(Sidecar(path: "s.parquet", sizeInBytes: 1, modificationTime: 2)),
        ]
        let bytes = Action.commitFileContents(actions, partitionColumns: ["p"])
        #expect(try Action.parseLines(bytes, source: "x") == actions)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors","inCommitTimestamp"]}}"#))
        #expect(text.contains(#""format":{"provider":"parquet","options":{}}"#))
        #expect(text.contains(#""partitionValues":{"p":null}"#))
    }
}

@Suite("JSON")
struct JSONTests {
    @Test("parses and re-serializes exactly")
    func roundTrip() throws {
        let texts = [#"{"a":1,"b":[true,false,null],"c":"x\"y\\z\n\u0001é😀","d":{"e":-1.25E+3,"f":12345678901234567890}}"#,
                     #"[]"#, #"{}"#, #""\/""#]
        for text in texts {
            let value = try JSONValue.parse(text)
            let again = try JSONValue.parse(value.jsonText)
            #expect(again == value)
        }
        #expect(try JSONValue.parse(#"{"c":"\u0001\ud83d\ude00"}"#).jsonText == "{\"c\":\"\\u0001😀\"}")
        #expect(try JSONValue.parse("12345678901234567890").jsonText == "12345678901234567890")
    }

    @Test("rejects invalid documents")
    func invalid() {
        for text in ["", "{", #"{"a"}"#, "[1,]", "01", "1.", "tru", #""abc"#, "{} x", "\"\u{01}\"", #"{"a":1,}"#] {
            #expect(throws: JSONSyntaxError.self, "\(text)") { try JSONValue.parse(text) }
        }
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(deep) }
    }
}

@Suite("Robustness")
struct RobustnessTests {
    @Test("truncated and mutated commit files give errors, never crashes", .enabled(if: Fixtures.goldenAvailable))
    func mutations() throws {
        var generator = SeededGenerator(seed: 42)
        for table in ["simple_table", "table-with-dv-small", "cdc_ict_table"] {
            let log = Fixtures.golden(table) + "/_delta_log/"
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: log + "00000000000000000001.json")))
            for _ in 0..<300 {
                var mutated = bytes
                switch generator.next() % 3 {
                case 0: mutated = Array(mutated.prefix(Int(generator.next() % UInt64(bytes.count))))
                case 1: mutated[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
                default:
                    let at = Int(generator.next() % UInt64(bytes.count))
                    mutated.insert(contentsOf: Array("\"{[,:\\u12".utf8).shuffled(using: &generator).prefix(3), at: at)
                }
                do {
                    _ = try Action.parseLines(mutated, source: "mutated")
                } catch let error as DeltaError {
                    #expect(error.code == .corruptLog)
                }
            }
        }
        for text in ["00000000000000000000", "1e999999", "-", "\"\\ud800\"", "{\"add\":{\"path\":\"a\",\"size\":1e300}}",
                     "{\"add\":{\"path\":\"a\",\"size\":99999999999999999999}}"] {
            _ = try? Action.parseLines(Array(text.utf8), source: "edge")
        }
        #expect(LogFile(entry: FileEntry(path: "99999999999999999999.json", size: 0, modificationTime: 0)) == nil)
        #expect(throws: DeltaError.self) { try PartitionValue(parsing: "99999999999-01-01", as: .date) }
        #expect(throws: DeltaError.self) { try Table(path: "/nonexistent-floe").snapshot(asOf: Date(timeIntervalSince1970: .infinity)) }
    }
}

