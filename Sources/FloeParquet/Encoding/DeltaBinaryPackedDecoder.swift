import FloeColumnar

/// Decodes DELTA_BINARY_PACKED (`= 5`) INT32 or INT64 values in batches.
///
/// Layout: a header `<block size> <miniblocks per block> <total value count> <first value>`
/// (ULEB128, the first value zigzag), then blocks of `<min delta (zigzag)> <one bit-width byte per
/// miniblock> <miniblocks>`; each value is the previous one plus `min delta` plus its bit-packed
/// delta, in wrapping two's complement arithmetic.
///
/// Invariants: reads never leave `data`; a decoder hands out at most ``valueCount`` values;
/// miniblock bit widths are checked (at most 32 for `Int32` output, 64 for `Int64`) only for the
/// miniblocks actually used, as the format allows garbage in the others; a final miniblock may be
/// shorter than its nominal size when the values it must hold are all present. For tests of the
/// specification's examples the block size need only be a multiple of 8 (the format says 128) and
/// the miniblock size a multiple of 8 (the format says 32). One decoder is read either as `Int32`
/// or as `Int64`, not both.
struct DeltaBinaryPackedDecoder {
    /// The encoded bytes (they may continue past the end of the encoding).
    let data: Buffer
    /// Values per block.
    let blockSize: Int
    /// Miniblocks per block.
    let miniblocksPerBlock: Int
    /// Values per miniblock.
    let miniblockSize: Int
    /// The number of values the header declares.
    let valueCount: Int
    /// Values not yet handed out.
    private(set) var remaining: Int

    /// The next unread byte (a block header, or the miniblock after the current one).
    private var position: Int
    /// The last value handed out, or the first value while ``firstPending``.
    private var lastValue: UInt64
    private var firstPending: Bool
    private var minDelta: UInt64 = 0
    /// Byte offset of the current block's bit widths.
    private var bitWidthsOffset = 0
    /// Index within the block of the next miniblock; `miniblocksPerBlock` means a block header is next.
    private var nextMiniblock: Int
    private var miniblockStart = 0
    private var miniblockBitWidth = 0
    /// Values of the current miniblock to be handed out, and how many have been.
    private var miniblockValues = 0
    private var miniblockConsumed = 0

    /// Reads the header at the start of `data`.
    init(_ data: Buffer) throws {
        self.data = data
        var p = 0
        let header = try data.withUnsafeBytes { raw -> (Int, Int, Int, Int64) in
            let blockSize = try LEB128.readUnsigned(raw, at: &p)
            let miniblocks = try LEB128.readUnsigned(raw, at: &p)
            let count = try LEB128.readUnsigned(raw, at: &p)
            let first = try LEB128.readZigZag(raw, at: &p)
            guard blockSize > 0, blockSize <= UInt64(Int32.max), blockSize % 8 == 0 else {
                throw ParquetError.corrupt("DELTA_BINARY_PACKED block size \(blockSize) is not a positive multiple of 128")
            }
            guard miniblocks > 0, miniblocks <= blockSize, blockSize % miniblocks == 0,
                  (blockSize / miniblocks) % 8 == 0 else {
                throw ParquetError.corrupt("DELTA_BINARY_PACKED: \(miniblocks) miniblocks do not divide a block of \(blockSize) into multiples of 32 values")
            }
            guard count <= UInt64(Int32.max) else {
                throw ParquetError.corrupt("DELTA_BINARY_PACKED value count \(count) is too large")
            }
            return (Int(blockSize), Int(miniblocks), Int(count), first)
        }
        blockSize = header.0
        miniblocksPerBlock = header.1
        miniblockSize = header.0 / header.1
        valueCount = header.2
        remaining = header.2
        lastValue = UInt64(bitPattern: header.3)
        firstPending = header.2 > 0
        nextMiniblock = header.1
        position = p
    }

    // MARK: Decoding

    /// Decodes `values.count` values into `values`.
    mutating func decode(into values: UnsafeMutableBufferPointer<Int32>) throws {
        guard let base = values.baseAddress, values.count > 0 else { return }
        try base.withMemoryRebound(to: UInt32.self, capacity: values.count) {
            try decodeValues(into: $0, count: values.count)
        }
    }

    /// Decodes `values.count` values into `values`.
    mutating func decode(into values: UnsafeMutableBufferPointer<Int64>) throws {
        guard let base = values.baseAddress, values.count > 0 else { return }
        try base.withMemoryRebound(to: UInt64.self, capacity: values.count) {
            try decodeValues(into: $0, count: values.count)
        }
    }

    /// The most values appended to a builder at once: both the page and the header give counts
    /// the data may not hold, so memory grows with the values decoded, not with what is claimed.
    static let appendBatch = 1 << 16

    /// Decodes `count` values and appends them to `builder` as `Int32`s. On a throw, values of
    /// earlier batches may have been appended.
    mutating func decodeInt32(count: Int, into builder: BufferBuilder) throws {
        try checkAvailable(count)
        var left = count
        while left > 0 {
            let n = Swift.min(left, Self.appendBatch)
            try builder.appendUninitialized(n * 4) { raw in
                guard let base = raw.baseAddress else { return }
                try decodeValues(into: base.bindMemory(to: UInt32.self, capacity: n), count: n)
            }
            left -= n
        }
    }

    /// Decodes `count` values and appends them to `builder` as `Int64`s. On a throw, values of
    /// earlier batches may have been appended.
    mutating func decodeInt64(count: Int, into builder: BufferBuilder) throws {
        try checkAvailable(count)
        var left = count
        while left > 0 {
            let n = Swift.min(left, Self.appendBatch)
            try builder.appendUninitialized(n * 8) { raw in
                guard let base = raw.baseAddress else { return }
                try decodeValues(into: base.bindMemory(to: UInt64.self, capacity: n), count: n)
            }
            left -= n
        }
    }

    /// Skips the values not yet decoded and returns the offset in ``data`` just past the
    /// encoding (where DELTA_LENGTH_BYTE_ARRAY data or the next section begins). Only block
    /// headers are read.
    mutating func skipToEnd() throws -> Int {
        if firstPending && remaining > 0 {
            firstPending = false
            remaining -= 1
        }
        let data = self.data
        try data.withUnsafeBytes { raw in
            remaining -= miniblockValues - miniblockConsumed
            miniblockConsumed = miniblockValues
            while remaining > 0 {
                try startMiniblock(raw, maxBitWidth: 64)
                remaining -= miniblockValues
                miniblockConsumed = miniblockValues
            }
        }
        return position
    }

    /// Throws unless `count` values remain to be handed out.
    private func checkAvailable(_ count: Int) throws {
        guard count <= remaining else {
            throw ParquetError.corrupt("DELTA_BINARY_PACKED data holds \(remaining) more values, \(count) requested")
        }
    }

    /// The core: `U` is `UInt32` for INT32 output, `UInt64` for INT64.
    private mutating func decodeValues<U: FixedWidthInteger & UnsignedInteger>(
        into dst: UnsafeMutablePointer<U>, count: Int
    ) throws {
        try checkAvailable(count)
        guard count > 0 else { return }
        let data = self.data
        try data.withUnsafeBytes { raw in
            var out = 0
            if firstPending {
                dst[0] = U(truncatingIfNeeded: lastValue)
                firstPending = false
                remaining -= 1
                out = 1
            }
            var last = U(truncatingIfNeeded: lastValue)
            while out < count {
                if miniblockConsumed == miniblockValues { try startMiniblock(raw, maxBitWidth: U.bitWidth) }
                let n = Swift.min(miniblockValues - miniblockConsumed, count - out)
                let d = dst + out
                if let base = raw.baseAddress {
                    let readable = raw.count - miniblockStart
                    if U.self == UInt32.self {
                        BitPacking.unpack32(base + miniblockStart, readable: readable, firstValue: miniblockConsumed,
                                            into: UnsafeMutableRawPointer(d).assumingMemoryBound(to: UInt32.self),
                                            count: n, bitWidth: miniblockBitWidth)
                    } else {
                        BitPacking.unpack64(base + miniblockStart, readable: readable, firstValue: miniblockConsumed,
                                            into: UnsafeMutableRawPointer(d).assumingMemoryBound(to: UInt64.self),
                                            count: n, bitWidth: miniblockBitWidth)
                    }
                }
                let delta = U(truncatingIfNeeded: minDelta)
                for i in 0..<n {
                    last = last &+ delta &+ d[i]
                    d[i] = last
                }
                miniblockConsumed += n
                remaining -= n
                out += n
            }
            lastValue = UInt64(truncatingIfNeeded: last)
        }
    }

    /// Moves to the next miniblock (reading a block header first when needed) and sets it up to
    /// hand out `min(miniblockSize, remaining)` values.
    private mutating func startMiniblock(_ raw: UnsafeRawBufferPointer, maxBitWidth: Int) throws {
        if nextMiniblock == miniblocksPerBlock {
            minDelta = UInt64(bitPattern: try LEB128.readZigZag(raw, at: &position))
            guard miniblocksPerBlock <= raw.count - position else {
                throw ParquetError.corrupt("DELTA_BINARY_PACKED block bit widths truncated")
            }
            bitWidthsOffset = position
            position += miniblocksPerBlock
            nextMiniblock = 0
        }
        let width = Int(raw[bitWidthsOffset + nextMiniblock])
        nextMiniblock += 1
        guard width <= maxBitWidth else {
            throw ParquetError.corrupt("DELTA_BINARY_PACKED miniblock bit width \(width) exceeds \(maxBitWidth)")
        }
        let values = Swift.min(miniblockSize, remaining)
        let needed = (values * width + 7) / 8
        let available = raw.count - position
        guard needed <= available else {
            throw ParquetError.corrupt("DELTA_BINARY_PACKED miniblock truncated: \(needed) bytes needed, \(available) left")
        }
        miniblockStart = position
        position += Swift.min(miniblockSize * width / 8, available)
        miniblockBitWidth = width
        miniblockValues = values
        miniblockConsumed = 0
    }
}
