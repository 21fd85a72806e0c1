import Foundation

extension Table {
    /// The table read as a stream: the batches of ``TableTail`` (the initial snapshot and/or the
    /// committed changes, in version order), waiting for new commits when `follow` is true.
    ///
    /// ```swift
    /// for try await batch in table.tail(from: .beginning, follow: true) {
    ///     handle(batch.records)            // columns + _commit_version, _commit_timestamp
    ///     try group.commit(batch.offset)   // resume here after a restart
    /// }
    /// ```
    ///
    /// While caught up, the sequence probes for the next commit by name, waiting
    /// ``TailOptions/minimumPollInterval`` and doubling the wait up to
    /// ``TailOptions/maximumPollInterval`` while nothing arrives. Without `follow` it ends after
    /// the version that was the latest when iteration started. It also ends (without an error)
    /// when the iterating task is cancelled. Errors of ``TableTail/init(table:from:follow:options:)``
    /// are thrown by the first `next()`.
    public func tail(from start: TailStart, follow: Bool = false, options: TailOptions = TailOptions()) -> TailSequence {
        TailSequence(table: self, start: start, follow: follow, options: options)
    }
}

/// The `AsyncSequence` of ``Table/tail(from:follow:options:)``.
public struct TailSequence: AsyncSequence, Sendable {
    public typealias Element = TailBatch

    /// The table read.
    public let table: Table
    /// Where the tail starts.
    public let start: TailStart
    /// Whether it waits for new commits forever.
    public let follow: Bool
    /// How it reads.
    public let options: TailOptions

    /// A new tail from ``start``; each iterator reads independently.
    public func makeAsyncIterator() -> Iterator {
        Iterator(sequence: self)
    }

    /// Reads a ``TableTail``, sleeping between probes while caught up.
    public struct Iterator: AsyncIteratorProtocol {
        let sequence: TailSequence
        var tail: TableTail?

        init(sequence: TailSequence) { self.sequence = sequence }

        /// The position after everything returned so far (nil before the first `next()`).
        public var offset: StreamOffset? { tail?.offset }

        /// The next batch; nil at the end (not following and caught up, or cancelled).
        public mutating func next() async throws -> TailBatch? {
            if tail == nil {
                tail = try TableTail(table: sequence.table, from: sequence.start, follow: sequence.follow, options: sequence.options)
            }
            let minimum = Swift.max(sequence.options.minimumPollInterval, .microseconds(50))
            let maximum = Swift.max(sequence.options.maximumPollInterval, minimum)
            var wait = minimum
            while !Task.isCancelled {
                guard tail != nil else { return nil }
                // Mutated in place: a copy would duplicate the planned trigger's buffers.
                if let batch = try tail!.next() { return batch }
                if tail!.isFinished { return nil }
                do { try await Task.sleep(for: wait) } catch { return nil }
                wait = Swift.min(wait * 2, maximum)
            }
            return nil
        }
    }
}
