import Foundation
import FloeColumnar

extension DeltaFuzzing {
    /// Writes a seed corpus under `directory`, one folder per target (`directory/<target>/`): the
    /// generated seeds of ``generatedSeeds()``, then every file of `committedDirectories` whose name
    /// starts with `<target>-` (the committed seeds and regression inputs of `Tests/FloeTests/`).
    ///
    /// - Returns: The number of seeds written per target.
    package static func writeSeeds(to directory: String, committedDirectories: [String] = []) throws -> [Target: Int] {
        var counts: [Target: Int] = [:]
        let manager = FileManager.default
        func write(_ bytes: [UInt8], target: Target, name: String) throws {
            let folder = directory + "/" + target.rawValue
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            guard manager.createFile(atPath: folder + "/" + name, contents: Data(bytes)) else {
                throw DeltaError(.io, "cannot write seed \(folder)/\(name)")
            }
            counts[target, default: 0] += 1
        }
        for (target, seeds) in generatedSeeds() {
            for (i, seed) in seeds.enumerated() { try write(seed, target: target, name: "generated-\(i)") }
        }
        // libFuzzer dictionaries (`-dict=DIR/<target>.dict`): the grammar's words.
        for (target, words) in dictionaries {
            let text = words.map(dictionaryEntry).joined(separator: "\n") + "\n"
            guard manager.createFile(atPath: directory + "/" + target.rawValue + ".dict", contents: Data(text.utf8)) else {
                throw DeltaError(.io, "cannot write the dictionary \(directory)/\(target.rawValue).dict")
            }
        }
        for committed in committedDirectories {
            let names = (try? manager.contentsOfDirectory(atPath: committed)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                guard let target = target(ofFileNamed: name),
                      let data = manager.contents(atPath: committed + "/" + name) else { continue }
                try write(Array(data), target: target, name: name)
            }
        }
        return counts
    }

    /// The target named by the prefix of a committed input's file name (up to the first `-`).
    package static func target(ofFileNamed name: String) -> Target? {
        name.split(separator: "-", maxSplits: 1).first.flatMap { Target(rawValue: String($0)) }
    }

    /// `word` as a libFuzzer dictionary entry: quoted, `\\` and `"` escaped, other bytes outside
    /// printable ASCII as `\xHH`.
    static func dictionaryEntry(_ word: String) -> String {
        let hex = Array("0123456789ABCDEF")
        var out = "\""
        for byte in word.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "\""): out += "\\\""
            case 0x20...0x7E: out.append(Character(Unicode.Scalar(byte)))
            default: out += "\\x" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return out + "\""
    }

    /// Words of each target's grammar, for libFuzzer's `-dict`.
    static let dictionaries: [(Target, [String])] = [
        (.log, ["{\"add\":{", "{\"remove\":{", "{\"metaData\":{", "{\"protocol\":{", "{\"commitInfo\":{", "{\"txn\":{",
                "{\"domainMetadata\":{", "\"path\":", "\"partitionValues\":", "\"size\":", "\"stats\":", "\"deletionVector\":",
                "\"storageType\":\"u\"", "\"pathOrInlineDv\":", "\"schemaString\":", "\"minReaderVersion\":", "\"minWriterVersion\":",
                "\"readerFeatures\":", "\"writerFeatures\":", "\"configuration\":", "\"numRecords\":", "\"minValues\":",
                "\"maxValues\":", "\"nullCount\":", "\\\"type\\\":", "\\\"struct\\\"", "\\\"fields\\\":", "%2F", "..", "\n\n\n"]),
        (.condition, ["AND", "OR", "NOT", "IN", "IS", "NULL", "BETWEEN", "TRUE", "FALSE", "DATE '", "TIMESTAMP '",
                      "TIMESTAMP_NTZ '", "<>", "!=", "<=", ">=", "==", "`", "''", "loc.lat", "1e308", "-9223372036854775808"]),
        (.ddl, ["struct<", "array<", "map<", "decimal(", "not null", "comment '", "timestamp_ntz", "bigint", "varchar(", "`"]),
        (.ndjson, ["{\"id\":", "\"tags\":[", "\"attrs\":{", "\"loc\":{", "\"dec\":", "\"ts\":", "\\u0000", "1e400", "null"]),
        (.csv, ["id,", "\"\"", "\r\n", ",,", "2026-01-01", "1e400", "true"]),
    ]

    /// Seeds made by Floe's own serializers, so they track the formats as they change: commit files
    /// with every action kind, the DDL and predicates of the fuzzing schemas, and rows of them.
    package static func generatedSeeds() -> [(Target, [[UInt8]])] {
        var log: [[UInt8]] = []
        let schema = (try? StructType(arrow: rowSchema)) ?? StructType([])
        let metadata = Metadata(id: "fuzz", schemaString: schema.jsonString, partitionColumns: ["day"],
                                configuration: ["delta.checkpointInterval": "5", "delta.constraints.positive": "id > 0"],
                                createdTime: 1_700_000_000_000)
        let stats = #"{"numRecords":3,"minValues":{"id":1,"str":"a","d":-1.5,"ts":"2026-01-01T00:00:00.000Z"},"maxValues":{"id":9,"str":"z","d":2.5,"ts":"2026-01-02T00:00:00.000Z"},"nullCount":{"id":0,"str":1}}"#
        let dv = DeletionVectorDescriptor(storageType: "u", pathOrInlineDv: "ab^-aqEH.-t@S}K{vb[*k^", offset: 1,
                                          sizeInBytes: 36, cardinality: 2)
        let create: [Action] = [
            .commitInfo(CommitInfo(fields: ["timestamp": .number(JSONNumber(Int64(1_700_000_000_000))), "operation": .string("CREATE TABLE")])),
            .protocol(ProtocolAction(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["deletionVectors"],
                                     writerFeatures: ["deletionVectors", "checkConstraints"])),
            .metadata(metadata),
        ]
        let append: [Action] = [
            .add(AddFile(path: "day=2026-01-01/part-0.parquet", partitionValues: ["day": "2026-01-01"], size: 100,
                         modificationTime: 1, stats: stats, deletionVector: dv)),
            .add(AddFile(path: "day=__HIVE_DEFAULT_PARTITION__/a%20b.parquet", partitionValues: ["day": nil], size: 50,
                         modificationTime: 2, stats: #"{"numRecords":0}"#)),
            .txn(SetTransaction(appID: "app", version: 3, lastUpdated: 4)),
            .domainMetadata(DomainMetadata(domain: "delta.fuzz", configuration: "{}")),
        ]
        let remove: [Action] = [
            .remove(RemoveFile(path: "day=2026-01-01/part-0.parquet", deletionTimestamp: 5, dataChange: true,
                               partitionValues: ["day": "2026-01-01"], size: 100)),
        ]
        let commits = [create, append, remove].map { Action.commitFileContents($0, partitionColumns: ["day"]) }
        log.append(commits[0])
        log.append(commits[0] + Array("\n\n".utf8) + commits[1])
        log.append(commits[0] + Array("\n\n".utf8) + commits[1] + Array("\n\n".utf8) + commits[2])

        let ddl = [schema.ddl, (try? StructType(arrow: conditionSchema).ddl) ?? "",
                   "id long not null comment 'k', `a b` map<string,array<struct<x:int,y:decimal(38,10)>>>"]
        let conditions = [
            "id > 3 AND (name = 'x' OR name IS NULL)", "dec BETWEEN 1.5 AND 20", "day >= DATE '2026-01-01'",
            "ts < TIMESTAMP '2026-01-01T00:00:00Z' OR ntz = TIMESTAMP_NTZ '2026-01-01 10:00:00'",
            "NOT ok AND i IN (1, 2, NULL) AND s <> -3", "loc.lat >= -90.0 AND `name` != 'it''s'", "b NOT IN (1) OR f = 2e3",
        ]
        let ndjson = [
            #"{"id":1,"i":2,"s":3,"b":4,"f":1.5,"d":-2e10,"dec":"12.34","str":"x","bin":"AAE=","day":"2026-01-01","ts":"2026-01-01T00:00:00Z","ntz":"2026-01-01 10:00:00","tags":[1,null],"attrs":{"k":1},"loc":{"lat":1,"lon":2},"ok":true}"# + "\n{\"id\":2}\n",
            "{\"id\":3,\"extra\":[{\"a\":1}],\"more\":\"2026-01-01\"}\r\n{\"id\":4,\"extra\":null}",
        ]
        let csv = [
            "id,i,str,dec,day,ok\n1,2,\"a,b\",1.25,2026-01-01,true\n2,,\"q\"\"uote\",,,false\n",
            "id\r\n5\r\n\r\n6",
            "id,new\n1,2026-01-01T00:00:00Z\n2,\n",
        ]
        return [
            (.log, log),
            (.condition, conditions.map { Array($0.utf8) }),
            (.ddl, ddl.map { Array($0.utf8) }),
            (.ndjson, ndjson.map { Array($0.utf8) }),
            (.csv, csv.map { Array($0.utf8) }),
        ]
    }
}
