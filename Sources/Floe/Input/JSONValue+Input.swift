extension JSONValue {
    /// Parses one JSON document (RFC 8259).
    ///
    /// - Throws: ``DeltaError/Code/invalidArgument`` naming the byte offset of the problem.
    public init(parsing text: String) throws {
        do {
            self = try JSONValue.parse(text)
        } catch {
            throw DeltaError(.invalidArgument, "malformed JSON: \(error.reason) at byte \(error.offset + 1)")
        }
    }
}
