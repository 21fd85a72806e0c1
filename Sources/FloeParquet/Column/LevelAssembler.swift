import FloeColumnar

/// Rebuilds nested Arrow columns from leaf columns' definition and repetition levels
/// (Dremel record assembly).
///
/// For a node nested under lists, its *instances* in a leaf's level stream are the entries whose
/// repetition level is at most the enclosing list's repetition level `R` and whose definition level
/// is at least the level `D` at which that list has an element. At the top level `R = D = 0`: every
/// entry with repetition level 0 starts a row. Each node's validity and list offsets are computed
/// from its first leaf; struct children are assembled from their own leaves and must agree in length.
struct LevelAssembler {
    let leaves: [Int: LeafData]

    /// Assembles the Arrow column of one top-level field.
    func assemble(_ node: ReadNode) throws -> Column {
        try assemble(node, R: 0, D: 0, expectedCount: nil)
    }

    private func leaf(_ column: Int) throws -> LeafData {
        guard let data = leaves[column] else {
            throw ParquetError(.internalError, "leaf column \(column) was not decoded")
        }
        return data
    }

    private func assemble(_ node: ReadNode, R: Int, D: Int, expectedCount: Int?) throws -> Column {
        switch node {
        case .leaf(let column, let definition, let type):
            return try assembleLeaf(try leaf(column), definition: definition, type: type, R: R, D: D)

        case .structure(let definition, let type, let children):
            if children.isEmpty {
                return Column.nulls(type, count: expectedCount ?? 0)
            }
            let data = try leaf(node.firstLeaf)
            let validity = BitmapBuilder()
            var count = 0
            forEachInstance(data, R: R, D: D) { i in
                validity.append(data.definitionLevels.isEmpty || Int(data.definitionLevels[i]) >= definition)
                count += 1
            }
            let nullCount = count - validity.trueCount
            var columns: [Column] = []
            columns.reserveCapacity(children.count)
            for child in children {
                let c = try assemble(child, R: R, D: D, expectedCount: count)
                guard c.count == count else {
                    throw ParquetError(.corrupt, "struct children disagree in length (\(c.count) vs \(count)); levels are inconsistent")
                }
                columns.append(c)
            }
            return Column(dataType: type, count: count, nullCount: nullCount,
                          validity: nullCount > 0 ? validity.finish() : nil, buffers: [], children: columns)

        case .list(let definition, let elementDefinition, let repetition, let type, let element):
            let data = try leaf(node.firstLeaf)
            guard !data.repetitionLevels.isEmpty || data.levelCount == 0 else {
                throw ParquetError(.corrupt, "repeated column without repetition levels")
            }
            let offsets = BufferBuilder(capacity: (data.levelCount + 1) * 4)
            let validity = BitmapBuilder()
            var childCount: Int32 = 0
            var count = 0
            data.definitionLevels.withUnsafeBufferPointer { defs in
                data.repetitionLevels.withUnsafeBufferPointer { reps in
                    for i in 0..<data.levelCount {
                        let r = Int(reps[i])
                        let d = defs.isEmpty ? Int.max : Int(defs[i])
                        if r <= R {
                            guard d >= D else { continue }
                            offsets.append(childCount)
                            validity.append(d >= definition)
                            count += 1
                            if d >= elementDefinition { childCount += 1 }
                        } else if r <= repetition && d >= elementDefinition {
                            childCount += 1
                        }
                    }
                }
            }
            offsets.append(childCount)
            let child = try assemble(element, R: repetition, D: elementDefinition, expectedCount: Int(childCount))
            guard child.count == Int(childCount) else {
                throw ParquetError(.corrupt, "list element count \(child.count) does not match offsets (\(childCount)); levels are inconsistent")
            }
            let nullCount = count - validity.trueCount
            return Column(dataType: type, count: count, nullCount: nullCount,
                          validity: nullCount > 0 ? validity.finish() : nil,
                          buffers: [offsets.finish()], children: [child])
        }
    }

    /// Calls `body` with each entry index that is an instance of a node at (`R`, `D`).
    private func forEachInstance(_ data: LeafData, R: Int, D: Int, _ body: (Int) -> Void) {
        let hasReps = !data.repetitionLevels.isEmpty
        let hasDefs = !data.definitionLevels.isEmpty
        if !hasReps && (D == 0 || !hasDefs) {
            for i in 0..<data.levelCount { body(i) }
            return
        }
        data.definitionLevels.withUnsafeBufferPointer { defs in
            data.repetitionLevels.withUnsafeBufferPointer { reps in
                for i in 0..<data.levelCount {
                    if hasReps && Int(reps[i]) > R { continue }
                    if hasDefs && Int(defs[i]) < D { continue }
                    body(i)
                }
            }
        }
    }

    private func assembleLeaf(_ data: LeafData, definition: Int, type: DataType, R: Int, D: Int) throws -> Column {
        let dense = data.values
        // Fast path: a flat column with no nulls is its dense values.
        if data.repetitionLevels.isEmpty && data.definitionLevels.isEmpty {
            guard dense.count == data.levelCount else {
                throw ParquetError(.corrupt, "column has \(data.levelCount) entries but \(dense.count) values")
            }
            return dense
        }
        let validity = BitmapBuilder(capacity: data.levelCount)
        var count = 0
        let defs = data.definitionLevels
        forEachInstance(data, R: R, D: D) { i in
            validity.append(defs.isEmpty || Int(defs[i]) >= definition)
            count += 1
        }
        let valid = validity.trueCount
        guard valid == dense.count else {
            throw ParquetError(.corrupt, "column has \(valid) defined entries but \(dense.count) values")
        }
        if valid == count { return dense }
        let bits = validity.finish()
        return try LevelAssembler.spread(dense, validity: bits, count: count, type: type)
    }

    /// Places the dense values of `dense` into the valid slots of a `count`-slot column.
    /// Null slots are zero-filled (empty for strings and lists).
    static func spread(_ dense: Column, validity: Buffer, count: Int, type: DataType) throws -> Column {
        let nullCount = count - dense.count
        if case .null = type { return Column.nulls(.null, count: count) }
        return try validity.withUnsafeBytes { bits -> Column in
            switch type {
            case .boolean:
                let out = BitmapBuilder(capacity: count)
                var k = 0
                let values = dense.buffers[0]
                try values.withUnsafeBytes { src in
                    guard src.count * 8 >= dense.count else { throw ParquetError(.internalError, "boolean values too short") }
                    for i in 0..<count {
                        if bitIsSet(bits, i) { out.append(bitIsSet(src, k)); k += 1 } else { out.append(false) }
                    }
                }
                return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: [out.finish()])
            case .string, .binary:
                let offsets = BufferBuilder(capacity: (count + 1) * 4)
                var k = 0
                dense.buffers[0].withUnsafeValues(of: Int32.self) { src in
                    offsets.append(src.isEmpty ? Int32(0) : src[0])
                    var last = src.isEmpty ? Int32(0) : src[0]
                    for i in 0..<count {
                        if bitIsSet(bits, i) { k += 1; last = src[k] }
                        offsets.append(last)
                    }
                }
                return Column(dataType: type, count: count, nullCount: nullCount, validity: validity,
                              buffers: [offsets.finish(), dense.buffers[1]])
            case .list, .map:
                let offsets = BufferBuilder(capacity: (count + 1) * 4)
                var k = 0
                dense.buffers[0].withUnsafeValues(of: Int32.self) { src in
                    var last = src.isEmpty ? Int32(0) : src[0]
                    offsets.append(last)
                    for i in 0..<count {
                        if bitIsSet(bits, i) { k += 1; last = src[k] }
                        offsets.append(last)
                    }
                }
                return Column(dataType: type, count: count, nullCount: nullCount, validity: validity,
                              buffers: [offsets.finish()], children: dense.children)
            case .struct:
                throw ParquetError(.internalError, "struct leaves are assembled from their children")
            default:
                guard let width = type.byteWidth else {
                    throw ParquetError(.internalError, "no layout for \(type)")
                }
                let out = BufferBuilder(capacity: count * width)
                dense.buffers[0].withUnsafeBytes { src in
                    out.appendUninitialized(count * width) { dst in
                        guard let dstBase = dst.baseAddress else { return }
                        var k = 0
                        switch width {
                        case 8:
                            let s = src.baseAddress!.assumingMemoryBound(to: UInt64.self)
                            let d = dstBase.assumingMemoryBound(to: UInt64.self)
                            for i in 0..<count {
                                if bitIsSet(bits, i) { d[i] = s[k]; k += 1 } else { d[i] = 0 }
                            }
                        case 4:
                            let s = src.baseAddress!.assumingMemoryBound(to: UInt32.self)
                            let d = dstBase.assumingMemoryBound(to: UInt32.self)
                            for i in 0..<count {
                                if bitIsSet(bits, i) { d[i] = s[k]; k += 1 } else { d[i] = 0 }
                            }
                        default:
                            for i in 0..<count {
                                if bitIsSet(bits, i) {
                                    (dstBase + i * width).copyMemory(from: src.baseAddress! + k * width, byteCount: width)
                                    k += 1
                                } else {
                                    (dstBase + i * width).initializeMemory(as: UInt8.self, repeating: 0, count: width)
                                }
                            }
                        }
                    }
                }
                return Column(dataType: type, count: count, nullCount: nullCount, validity: validity, buffers: [out.finish()])
            }
        }
    }
}
