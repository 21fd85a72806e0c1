import FloeColumnar

/// Entry points for coverage-guided fuzzing of the Parquet decoders (`Tools/fuzz-parquet`, run by
/// `Tools/fuzz.sh`) and for the regression tests that replay what fuzzing found
/// (`Tests/FloeParquetTests/FuzzRegressions/`).
///
/// Not part of the library's API (`package` access): nothing in Floe calls these, so they cost
/// nothing outside fuzzing and tests.
///
/// The contract being fuzzed: any input bytes either decode or throw a ``ParquetError`` whose code is
/// not ``ParquetError/Code-swift.struct/internalError``; they never crash, hang or allocate without
/// bound. ``check(_:_:)`` turns a violation that Swift can observe (another error type, an internal
/// error, a round-trip mismatch) into a description; crashes, hangs and excessive allocation are
/// observed by libFuzzer and the sanitizers.
package enum ParquetFuzzing {
    /// What an input is fed to.
    package enum Target: String, CaseIterable, Sendable {
        /// The input is a whole Parquet file: open it and read every row group.
        case file
        /// The input is footer metadata (compact Thrift `FileMetaData`): decode it, build the schema
        /// tree, the Arrow schema, the metadata summary and a projection, and evaluate statistics.
        case footer
        /// The input is a few parameter bytes, then the pages of one column chunk (see
        /// ``fuzzPage(_:)``): page headers, decompression, level and value decoders.
        case page
        /// The input is a codec id, a declared size, then compressed bytes: `Codec.decompress`.
        case codec

        /// The target an input is routed to when no target is fixed: its first byte selects one.
        static func select(_ byte: UInt8) -> Target { allCases[Int(byte) % allCases.count] }
    }

    /// A failure of the contract that Swift code can observe (as opposed to a crash).
    package struct ContractViolation: Error, CustomStringConvertible {
        package let description: String
    }

    /// Runs `data` through `target`. Returns nil when the input decoded or threw an acceptable
    /// ``ParquetError``; otherwise a description of the contract violation.
    package static func check(_ target: Target, _ data: UnsafeRawBufferPointer) -> String? {
        do {
            try run(target, data)
            return nil
        } catch let error as ParquetError where error.code != .internalError {
            return nil
        } catch let error as ParquetError {
            return "\(target): internal error (a Floe bug) on bad input: \(error)"
        } catch let error as ContractViolation {
            return "\(target): \(error)"
        } catch {
            return "\(target): threw \(type(of: error)) instead of a ParquetError: \(error)"
        }
    }

    /// Routes `data` by its first byte (see ``Target/select(_:)``), passing on the rest.
    package static func checkSelectingTarget(_ data: UnsafeRawBufferPointer) -> String? {
        guard let first = data.first else { return nil }
        return check(Target.select(first), UnsafeRawBufferPointer(rebasing: data[1...]))
    }

    /// Runs `data` through `target`, throwing whatever the decoders throw.
    package static func run(_ target: Target, _ data: UnsafeRawBufferPointer) throws {
        switch target {
        case .file: try fuzzFile(data)
        case .footer: try fuzzFooter(data)
        case .page: try fuzzPage(data)
        case .codec: try fuzzCodec(data)
        }
    }

    // MARK: Whole file

    /// Treats `data` as a Parquet file: opens it, reads every row group, and evaluates a
    /// statistics predicate against every row group.
    package static func fuzzFile(_ data: UnsafeRawBufferPointer) throws {
        let reader = try ParquetFileReader(source: MemoryByteSource(bytes: Array(data)), label: "fuzz")
        _ = try reader.readAll()
        evaluateStatistics(reader.metadata, schema: reader.schema)
    }

    // MARK: Footer

    /// Treats `data` as footer metadata, as the file reader does on open.
    package static func fuzzFooter(_ data: UnsafeRawBufferPointer) throws {
        let meta = try FileMetaData(footerBytes: data)
        let root = try SchemaNode.tree(from: meta.schema)
        let schema = try ParquetSchema(root: root)
        let metadata = try ParquetMetadata(meta, schema: schema, label: "fuzz")
        _ = try ProjectionPlan(schema: schema, columns: nil)
        evaluateStatistics(metadata, schema: schema)
        // Re-encoding what was decoded must decode to the same value.
        let again = try FileMetaData(footerBytes: meta.thriftEncoded())
        guard again == meta else {
            throw ContractViolation(description: "footer: re-encoded FileMetaData decodes differently")
        }
    }

    /// Asks every row group whether a few predicates on each top-level leaf might match, which
    /// compares the (untrusted) statistics with literals of several types.
    private static func evaluateStatistics(_ metadata: ParquetMetadata, schema: ParquetSchema) {
        let names = schema.columns.prefix(8).filter { $0.maxRepetitionLevel == 0 }.map(\.dottedPath)
        guard !names.isEmpty else { return }
        let literals: [Scalar] = [.int(0), .int(-7), .uint(.max), .float(0.5), .string("m"), .binary([0, 255]),
                                  .bool(true), .decimal(12345), .null]
        var predicates: [Condition] = []
        for (i, name) in names.enumerated() {
            let literal = literals[i % literals.count]
            predicates.append(.or([.comparison(column: name, op: .less, value: literal),
                                   .comparison(column: name, op: .equal, value: literals[(i + 3) % literals.count]),
                                   .isIn(column: name, values: [literal, .int(1)]),
                                   .not(.isNull(column: name))]))
        }
        for group in metadata.rowGroups.prefix(16) {
            for predicate in predicates { _ = group.mightMatch(predicate, schema: schema.arrowSchema) }
        }
    }

    // MARK: Codecs

    /// The bytes of a codec input: `[codec id] [declared uncompressed size: UInt32 LE] [compressed]`.
    /// Ids 0...7 are the Thrift codec ids (LZO and BROTLI throw "unsupported").
    ///
    /// Decompresses with the declared size; when the compressed bytes are small, also compresses
    /// them and checks that decompressing gives them back (reusing the context the first
    /// decompression may have left in any state).
    package static func fuzzCodec(_ data: UnsafeRawBufferPointer) throws {
        guard data.count >= 5 else { return }
        guard let codec = Codec(thriftValue: Int32(data[0] & 0x07)) else { return }
        let declared = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: 1, as: UInt32.self)))
        let input = UnsafeRawBufferPointer(rebasing: data[5...])
        let context = CodecContext()
        var decodeError: (any Error)?
        do {
            _ = try codec.decompress(input, uncompressedSize: declared, context: context)
        } catch {
            decodeError = error
        }
        try roundTrip(codec, input, context: context)
        if let decodeError { throw decodeError }
    }

    /// Compresses `input` with `codec` and decompresses it again; any failure or difference is a
    /// ``ContractViolation``.
    private static func roundTrip(_ codec: Codec, _ input: UnsafeRawBufferPointer, context: CodecContext) throws {
        guard codec.isSupported, input.count <= 4096 else { return }
        do {
            let compressed = try codec.compress(input, context: context)
            let back = try compressed.withUnsafeBytes {
                try codec.decompress($0, uncompressedSize: input.count, context: context)
            }
            guard back.withUnsafeBytes({ $0.elementsEqual(input) }) else {
                throw ContractViolation(description: "\(codec): compress then decompress changed \(input.count) bytes")
            }
        } catch let error as ContractViolation {
            throw error
        } catch {
            throw ContractViolation(description: "\(codec): round trip of \(input.count) bytes failed: \(error)")
        }
    }
}
