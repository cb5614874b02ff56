internal import CLibXML2
import Foundation
import Synchronization

/// Reads XML as a stream of records on libxml2's streaming reader: each record element becomes
/// one JSON object, and the reader keeps only the current record's subtree in memory.
///
/// The record element is the one named (by its local name, at any depth) or, when none is
/// named, every child of the root element. A record element becomes an object: child elements
/// are members (a repeated child becomes a list), attributes are members named `@name`, text next
/// to children or attributes is `#text`; an element with text only is a string. Names are local
/// names: namespace prefixes and `xmlns` declarations are left out. Values are text, as XML has
/// no types, so codes keep their leading zeros.
///
/// With `enclosing` (a profile reading `../Name`), a record also carries the elements that enclose
/// it: member `..` is its parent's content (its attributes and the children that hold no record:
/// a site's name and address for each of its services), with the parent's own `..` above it, up to
/// the root's child. Each child of the root is then read whole before its records are handed
/// out, so memory holds one such child (an AIRS agency with its sites) instead of one record.
///
/// Safe by construction: no network access, no DTD loading, external entities refused (their
/// content never enters a record), internal entities expanded under libxml2's amplification
/// limits, so an entity bomb fails at once. Malformed XML stops the input with its line; the
/// records before it are kept.
public final class XMLRecordReader: RecordReader {
    public var name: String { input.name }
    public var progress: (done: Int, total: Int?) { (input.source.bytesRead, input.source.size) }

    private let input: TextInput
    private let source: String
    private let recordElement: String?
    private let findings: FindingLog
    private let maxTextBytes: Int
    private let enclosing: Bool
    /// Records say where their elements start (`Provenance.places`).
    private let places: Bool
    /// Records found in a child of the root read whole (with `enclosing`), still to hand out.
    private var queued: [Record] = []
    private let feed: XMLFeed
    private var reader: xmlTextReaderPtr?
    private var recordCount = 0
    private var lastRecordLine: Int?
    private var positioned = false
    private var finished = false
    /// Element names seen, for the message when the record element never occurs.
    private var elementNames: [String] = []
    /// Names by libxml2's interned pointer: each name is decoded once.
    private var names: [UnsafePointer<UInt8>: String] = [:]
    private var attributeNames: [UnsafePointer<UInt8>: String] = [:]

    /// - Parameters:
    ///   - recordElement: the local name of the record element; nil takes the root's children.
    ///   - maxTextBytes: the longest text accepted in one value.
    public init(input: TextInput, source: String, recordElement: String?, findings: FindingLog, maxTextBytes: Int = 64 << 20,
                enclosing: Bool = false, places: Bool = false) {
        self.input = input
        self.source = source
        self.recordElement = recordElement
        self.findings = findings
        self.maxTextBytes = maxTextBytes
        self.enclosing = enclosing
        self.places = places
        feed = XMLFeed(input: input)
    }

    deinit {
        if let reader {
            XMLSafety.unregister(reader: reader)
            xmlFreeTextReader(reader)
        }
    }

    public func next() throws -> Record? {
        if !queued.isEmpty { return queued.removeFirst() }
        guard !finished else { return nil }
        let reader = try open()
        while true {
            if positioned {
                positioned = false
            } else {
                let status = xmlTextReaderRead(reader)
                if status == 0 { return end() }
                if status < 0 { throw failure() }
            }
            guard xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue) else { continue }
            let depth = xmlTextReaderDepth(reader)
            let name = self.name(xmlTextReaderConstLocalName(reader))
            if elementNames.count < 40 && !elementNames.contains(name) { elementNames.append(name) }
            let isRecord = recordElement.map { $0 == name } ?? (depth == 1)
            if enclosing, depth == 1, !isRecord, let recordElement {
                if let first = try recordsWithin(reader, recordElement: recordElement) { return first }
                continue
            }
            guard isRecord else { continue }
            guard let node = xmlTextReaderExpand(reader) else { throw failure() }
            let line = Int(xmlGetLineNo(node))
            let value = try self.value(of: node)
            recordCount += 1
            lastRecordLine = line
            for problem in feed.takeRefusals() {
                findings.add(Finding(.error, rule: "xml.external-entity", message: problem.message, hint: problem.hint,
                                     file: input.name, line: problem.line > 0 ? problem.line : line, record: recordCount))
            }
            var provenance = Provenance(source: source, file: input.name, line: line, record: recordCount)
            if places { provenance.places = elementPlaces(of: node) }
            // Step over the record's subtree to its next sibling, which the loop then looks at.
            let status = xmlTextReaderNext(reader)
            if status < 0 { throw failure() }
            if status == 0 { finished = true } else { positioned = true }
            return Record(value: value, provenance: provenance)
        }
    }

    private func open() throws -> xmlTextReaderPtr {
        if let reader { return reader }
        guard let reader = feed.openReader() else {
            throw CroceviaError.unreadableInput(file: input.name, line: 1, message: "libxml2 could not start reading", hint: nil)
        }
        self.reader = reader
        return reader
    }

    private func end() -> Record? {
        finished = true
        if let warning = feed.firstWarning {
            findings.add(Finding(.warning, rule: "xml.warning", message: warning.message, file: input.name, line: warning.line))
        }
        if recordCount == 0 {
            let seen = elementNames.isEmpty ? "the file has no elements" : "its elements: \(elementNames.joined(separator: ", "))"
            let what = recordElement.map { "no <\($0)> element in \(input.name)" } ?? "no elements under the root of \(input.name)"
            var hint = "name the record element with --record-element or the profile's source.record_element"
            if let recordElement, case let suggestion = Suggestion.hint(for: recordElement, in: elementNames), !suggestion.isEmpty {
                hint = "the record element is case-sensitive" + suggestion
            }
            findings.add(Finding(.error, rule: "xml.no-records", message: "\(what) (\(seen))", hint: hint, file: input.name, line: 1))
        }
        return nil
    }

    /// The error that stopped the reader, from the input or from libxml2.
    private func failure() -> CroceviaError {
        finished = true
        if let error = feed.inputError { return error }
        if input.source.bytesRead == 0 {
            // libxml2 has no good words for a file with nothing in it.
            return .unreadableInput(file: input.name, line: 1, message: "the file is empty", hint: "check that the export wrote its data")
        }
        let parserLine = Int(xmlTextReaderGetParserLineNumber(reader))
        var problem = feed.firstError ?? XMLFeed.Problem(message: "the XML is malformed", line: parserLine)
        // Errors inside an entity's text count lines from the entity: say where the parser was.
        if problem.line <= 1 && parserLine > 1 { problem.line = parserLine }
        // libxml2 reads ahead in chunks: well-formed records just before the error go with it.
        var message = problem.message
        if let lastRecordLine { message += " (no record after the one on line \(lastRecordLine) was read)" }
        return .unreadableInput(file: input.name, line: problem.line, message: message, hint: problem.hint)
    }

    /// Where each element of a record starts, by the JSON Pointer its value has in the record
    /// (a repeated child is a list: `/Telefono/1`).
    private func elementPlaces(of record: xmlNodePtr) -> SourcePlaces {
        var byPointer: [String: SourcePlaces.Place] = [:]
        func walk(_ node: xmlNodePtr, _ pointer: String) {
            var counts: [String: Int] = [:]
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE { counts[name(c.pointee.name), default: 0] += 1 }
                child = c.pointee.next
            }
            var positions: [String: Int] = [:]
            child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE {
                    let key = name(c.pointee.name)
                    var place = pointer + "/" + JSONPointer.escape(key)
                    if counts[key, default: 0] > 1 {
                        place += "/\(positions[key, default: 0])"
                        positions[key, default: 0] += 1
                    }
                    byPointer[place] = SourcePlaces.Place(line: Int(xmlGetLineNo(c)))
                    walk(c, place)
                }
                child = c.pointee.next
            }
        }
        walk(record, "")
        return SourcePlaces(byPointer)
    }

    // MARK: Records with their enclosing elements

    /// Reads the child of the root the reader is on whole, queues its records (each with `..`),
    /// steps past it, and returns the first record (nil when it holds none).
    private func recordsWithin(_ reader: xmlTextReaderPtr, recordElement: String) throws -> Record? {
        guard let top = xmlTextReaderExpand(reader) else { throw failure() }
        var records: [xmlNodePtr] = []
        var enclosingRecords: Set<xmlNodePtr> = []
        func find(_ node: xmlNodePtr) {
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE {
                    if name(c.pointee.name) == recordElement {
                        records.append(c)
                        var parent = c.pointee.parent
                        while let p = parent, p != top.pointee.parent {
                            enclosingRecords.insert(p)
                            parent = p.pointee.parent
                        }
                    } else {
                        find(c)
                    }
                }
                child = c.pointee.next
            }
        }
        find(top)
        var contents: [xmlNodePtr: JSONValue] = [:]
        func content(of node: xmlNodePtr) throws -> JSONValue {
            if let known = contents[node] { return known }
            var value = try self.value(of: node, skipping: enclosingRecords)
            if node != top, let parent = node.pointee.parent, case .object(var object) = value {
                object[".."] = try content(of: parent)
                value = .object(object)
            } else if case .string = value {
                value = .object(JSONObject([("#text", value)]))
            }
            contents[node] = value
            return value
        }
        for node in records {
            var value = try self.value(of: node)
            if case .object(var object) = value, let parent = node.pointee.parent {
                object[".."] = try content(of: parent)
                value = .object(object)
            }
            recordCount += 1
            let line = Int(xmlGetLineNo(node))
            lastRecordLine = line
            queued.append(Record(value: value, provenance: Provenance(source: source, file: input.name, line: line, record: recordCount)))
        }
        for problem in feed.takeRefusals() {
            findings.add(Finding(.error, rule: "xml.external-entity", message: problem.message, hint: problem.hint,
                                 file: input.name, line: problem.line > 0 ? problem.line : Int(xmlGetLineNo(top)), record: recordCount))
        }
        let status = xmlTextReaderNext(reader)
        if status < 0 { throw failure() }
        if status == 0 { finished = true } else { positioned = true }
        return queued.isEmpty ? nil : queued.removeFirst()
    }

    // MARK: Records from nodes

    private func name(_ pointer: UnsafePointer<UInt8>?) -> String {
        guard let pointer else { return "" }
        if let known = names[pointer] { return known }
        let text = String(cString: pointer)
        names[pointer] = text
        return text
    }

    /// An attribute's member name, `@` and its local name, decoded once per name.
    private func attributeName(_ pointer: UnsafePointer<UInt8>?) -> String {
        guard let pointer else { return "@" }
        if let known = attributeNames[pointer] { return known }
        let text = "@" + String(cString: pointer)
        attributeNames[pointer] = text
        return text
    }

    /// The text of a node list (an attribute's value).
    private static func text(of first: xmlNodePtr?) -> String {
        var text = ""
        var node = first
        while let n = node {
            if let content = n.pointee.content { text += String(cString: content) }
            node = n.pointee.next
        }
        return text
    }

    /// An element as a value; children in `skipping` (the elements that hold records, when a
    /// record's enclosing content is made) are left out.
    private func value(of node: xmlNodePtr, skipping: Set<xmlNodePtr> = []) throws -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        var attribute = node.pointee.properties
        while let a = attribute {
            members.append((attributeName(a.pointee.name), .string(Self.text(of: a.pointee.children))))
            attribute = a.pointee.next
        }
        let attributeCount = members.count
        var text = ""
        var hasElements = false
        var child = node.pointee.children
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE where skipping.contains(c) || (!skipping.isEmpty && recordElement == name(c.pointee.name)):
                hasElements = true
            case XML_ELEMENT_NODE:
                hasElements = true
                let key = name(c.pointee.name)
                let value = try self.value(of: c)
                if let index = members.firstIndex(where: { $0.key == key }) {
                    if case .array(var items) = members[index].value {
                        members[index].value = .null
                        items.append(value)
                        members[index].value = .array(items)
                    } else {
                        members[index].value = .array([members[index].value, value])
                    }
                } else {
                    members.append((key, value))
                }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content {
                    let piece = String(cString: content)
                    text = text.isEmpty ? piece : text + piece
                    if text.utf8.count > maxTextBytes {
                        throw CroceviaError.unreadableInput(file: input.name, line: Int(xmlGetLineNo(c)),
                                                            message: "a text in <\(name(node.pointee.name))> is longer than \(maxTextBytes >> 20) MiB",
                                                            hint: "raise --max-field-size if the file really holds such values")
                    }
                }
            default:
                break
            }
            child = c.pointee.next
        }
        if !hasElements && attributeCount == 0 { return .string(text) }
        // Indentation between child elements is not text.
        if text.isEmpty || (hasElements && text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return .object(JSONObject(members))
        }
        members.append(("#text", .string(text)))
        return .object(JSONObject(members))
    }
}

/// Installs, once per process, the external-entity loader that refuses everything: no file and
/// no URL is ever opened on behalf of a document.
///
/// The refusal is reported to the reader's `XMLFeed`, so the record that lost the entity's text
/// gets an error finding with its line. The loader learns the parser context only; the streaming
/// reader keeps itself in the context's `_private`, and the readers this file opens are registered
/// here, so a context that belongs to anything else is never taken for one of them.
enum XMLSafety {
    /// Reader → feed, as addresses (the pointers are only compared and handed back).
    private static let feeds = Mutex<[UInt: UInt]>([:])

    private static let installed: Void = {
        xmlSetExternalEntityLoader { url, _, context in
            guard let context, let reader = context.pointee._private, let feed = XMLSafety.feed(forReader: reader) else { return nil }
            let line = context.pointee.input.map { Int($0.pointee.line) } ?? 0
            Unmanaged<XMLFeed>.fromOpaque(feed).takeUnretainedValue().refusedEntity(url.map { String(cString: $0) } ?? "?", line: line)
            return nil
        }
    }()

    static func install() { installed }

    static func register(reader: OpaquePointer, feed: UnsafeMutableRawPointer) {
        feeds.withLock { $0[UInt(bitPattern: UnsafeMutableRawPointer(reader))] = UInt(bitPattern: feed) }
    }

    static func unregister(reader: OpaquePointer) {
        feeds.withLock { _ = $0.removeValue(forKey: UInt(bitPattern: UnsafeMutableRawPointer(reader))) }
    }

    private static func feed(forReader reader: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        feeds.withLock { $0[UInt(bitPattern: reader)] }.flatMap { UnsafeMutableRawPointer(bitPattern: $0) }
    }
}
