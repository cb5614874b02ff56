/// A reader streams records out of one input, with their provenance. Bad records become
/// findings and reading goes on where that is safe; input that cannot be read any further throws
/// `CroceviaError.unreadableInput` with its line.
public protocol RecordReader: AnyObject {
    /// The next record, or nil at the end of the input.
    func next() throws -> Record?
    /// The input's name, as used in messages.
    var name: String { get }
    /// The bytes consumed so far and the input's size when known: for progress.
    var progress: (done: Int, total: Int?) { get }
}

/// A writer turns records into a format on an output sink.
public protocol RecordWriter: AnyObject {
    func write(_ record: Record) throws
    /// Writes what the format needs at the end (a closing bracket) and flushes.
    func finish() throws
    /// After `finish()`: moves the finished output into place (a file or folder appears only now).
    func commit() throws
}
