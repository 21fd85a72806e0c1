/// Selecting rows of a column by index, for filters, projections of nested data and shredding.
extension Column {
    /// A column holding the values at `indices`, in that order (indices may repeat).
    /// A negative index produces a null. Every non-negative index must be `< count` (a precondition:
    /// indices come from Floe's own code, never from input data).
    public func take(_ indices: [Int32]) -> Column {
        let n = indices.count
        let validityOut = BitmapBuilder(capacity: n)
        let hasValidity = validity != nil || indices.contains { $0 < 0 } || dataType == .null
        if hasValidity {
            for i in indices { validityOut.append(i >= 0 && isValid(at: Int(i))) }
        }
        let nulls = hasValidity ? n - validityOut.trueCount : 0
        let validityBuffer = nulls > 0 ? validityOut.finish() : nil
        switch dataType {
        case .null:
            return Column.nulls(.null, count: n)
        case .boolean:
            let out = BitmapBuilder(capacity: n)
            let values = buffers[0]
            for i in indices { out.append(i >= 0 && values.bit(at: Int(i))) }
            return Column(dataType: dataType, count: n, nullCount: nulls, validity: validityBuffer, buffers: [out.finish()])
        case .string, .binary:
            let offsets = BufferBuilder(capacity: (n + 1) * 4)
            let data = BufferBuilder()
            offsets.append(Int32(0))
            buffers[0].withUnsafeValues(of: Int32.self) { off in
                buffers[1].withUnsafeBytes { bytes in
                    for i in indices {
                        if i >= 0 {
                            let s = Int(off[Int(i)]), e = Int(off[Int(i) + 1])
                            data.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[s..<e]))
                        }
                        offsets.append(Int32(truncatingIfNeeded: data.count))
                    }
                }
            }
            return Column(dataType: dataType, count: n, nullCount: nulls, validity: validityBuffer,
                          buffers: [offsets.finish(), data.finish()])
        case .list, .map:
            let offsets = BufferBuilder(capacity: (n + 1) * 4)
            var childIndices: [Int32] = []
            offsets.append(Int32(0))
            buffers[0].withUnsafeValues(of: Int32.self) { off in
                for i in indices {
                    if i >= 0 {
                        for j in off[Int(i)]..<off[Int(i) + 1] { childIndices.append(j) }
                    }
                    offsets.append(Int32(childIndices.count))
                }
            }
            return Column(dataType: dataType, count: n, nullCount: nulls, validity: validityBuffer,
                          buffers: [offsets.finish()], children: [children[0].take(childIndices)])
        case .struct:
            return Column(dataType: dataType, count: n, nullCount: nulls, validity: validityBuffer, buffers: [],
                          children: children.map { $0.take(indices) })
        default:
            let width = dataType.byteWidth ?? 0
            let out = BufferBuilder(capacity: n * width)
            buffers[0].withUnsafeBytes { src in
                out.appendUninitialized(n * width) { dst in
                    for (k, i) in indices.enumerated() {
                        if i >= 0 {
                            (dst.baseAddress! + k * width).copyMemory(from: src.baseAddress! + Int(i) * width, byteCount: width)
                        } else {
                            (dst.baseAddress! + k * width).initializeMemory(as: UInt8.self, repeating: 0, count: width)
                        }
                    }
                }
            }
            return Column(dataType: dataType, count: n, nullCount: nulls, validity: validityBuffer, buffers: [out.finish()])
        }
    }

    /// The rows where `mask` is true (a precondition: `mask.count == count`).
    public func filter(_ mask: [Bool]) -> Column {
        precondition(mask.count == count)
        var indices: [Int32] = []
        indices.reserveCapacity(count)
        for (i, keep) in mask.enumerated() where keep { indices.append(Int32(i)) }
        if indices.count == count { return self }
        return take(indices)
    }

    /// `length` rows starting at `start` (a copy).
    public func slice(_ start: Int, _ length: Int) -> Column {
        precondition(start >= 0 && length >= 0 && start + length <= count)
        if start == 0 && length == count { return self }
        return take((start..<(start + length)).map { Int32($0) })
    }
}

extension RecordBatch {
    /// The rows where `mask` is true.
    public func filter(_ mask: [Bool]) -> RecordBatch {
        let cols = columns.map { $0.filter(mask) }
        return RecordBatch(unchecked: schema, columns: cols, count: mask.lazy.filter { $0 }.count)
    }

    /// The rows at `indices`.
    public func take(_ indices: [Int32]) -> RecordBatch {
        RecordBatch(unchecked: schema, columns: columns.map { $0.take(indices) }, count: indices.count)
    }

    /// `length` rows starting at `start`.
    public func slice(_ start: Int, _ length: Int) -> RecordBatch {
        RecordBatch(unchecked: schema, columns: columns.map { $0.slice(start, length) }, count: length)
    }

    /// A batch of the named columns (in the given order); throws for an unknown name.
    public func project(_ names: [String]) throws -> RecordBatch {
        var fields: [Field] = []
        var cols: [Column] = []
        for name in names {
            guard let i = schema.index(of: name) else {
                throw ColumnarError(.schemaMismatch, "no column named '\(name)'")
            }
            fields.append(schema.fields[i])
            cols.append(columns[i])
        }
        return RecordBatch(unchecked: Schema(fields, metadata: schema.metadata), columns: cols, count: count)
    }
}
