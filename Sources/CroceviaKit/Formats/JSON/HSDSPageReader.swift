/// Reads the JSON forms HSDS publishes (`openapi.json`): an array of objects, a single object
/// (`GET /services/{id}` gives one fully nested service), or a paginated `Page` envelope
/// (`{"total_items": ..., "page_number": ..., "contents": [...]}`), whose `contents` are the
/// records. Several pages one after another (saved API responses concatenated, or one page per
/// line) give their records in order. A page is held in memory while its records are handed out:
/// pages are as large as the server's `per_page`.
public final class HSDSPageReader: RecordReader {
    public var name: String { inner.name }
    public var progress: (done: Int, total: Int?) { inner.progress }
    private let inner: RecordReader
    private var pending: [JSONValue] = []
    private var pendingIndex = 0
    private var pageProvenance: Provenance?
    private var recordCount = 0
    /// The page's places (`/contents/3/name`) by element, as each record's own (`/name`).
    private var contentPlaces: [Int: SourcePlaces] = [:]
    private var contentLines: [Int: Int] = [:]

    /// The members that make an object a `Page` (besides `contents`).
    static let pageKeys: Set<String> = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty"]

    public init(_ inner: RecordReader) {
        self.inner = inner
    }

    public func next() throws -> Record? {
        while true {
            if pendingIndex < pending.count, var provenance = pageProvenance {
                recordCount += 1
                provenance.record = recordCount
                if provenance.places != nil {
                    provenance.line = contentLines[pendingIndex] ?? provenance.line
                    provenance.places = contentPlaces[pendingIndex] ?? SourcePlaces()
                }
                pendingIndex += 1
                return Record(value: pending[pendingIndex - 1], provenance: provenance)
            }
            guard var record = try inner.next() else { return nil }
            if let object = record.value.objectValue, case .array(let contents)? = object["contents"],
               object.keys.contains(where: Self.pageKeys.contains) {
                pending = contents
                pendingIndex = 0
                pageProvenance = record.provenance
                splitPlaces(record.provenance.places)
                continue
            }
            recordCount += 1
            record.provenance.record = recordCount
            return record
        }
    }

    private func splitPlaces(_ places: SourcePlaces?) {
        contentPlaces = [:]
        contentLines = [:]
        guard let places else { return }
        for (pointer, place) in places.byPointer where pointer.hasPrefix("/contents/") {
            let rest = pointer.dropFirst("/contents/".count)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            guard let index = Int(rest[..<slash]) else { continue }
            if slash == rest.endIndex {
                contentLines[index] = place.line
            } else {
                contentPlaces[index, default: SourcePlaces()].byPointer[String(rest[slash...])] = place
            }
        }
    }
}
