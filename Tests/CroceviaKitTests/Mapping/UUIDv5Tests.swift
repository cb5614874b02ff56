import Testing
@testable import CroceviaKit

@Suite struct UUIDv5Tests {
    static let dns = UUIDv5.parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8")!

    @Test func knownVector() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        #expect(UUIDv5.make(namespace: Self.dns, name: "python.org").text == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
    }

    @Test func piecesHashLikeTheWholeName() {
        let text = UUIDv5.text(namespace: Self.dns) { name in
            name.add("python")
            name.add(byte: UInt8(ascii: "."))
            name.add("org")
        }
        #expect(text == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
    }

    @Test func defaultNamespaceIsStable() {
        #expect(UUIDv5.format(UUIDv5.defaultNamespace) == UUIDv5.make(namespace: UUIDv5.urlNamespace, name: "urn:crocevia:network").text)
        #expect(UUIDv5.parse("not-a-uuid") == nil)
    }

    @Test func targetPaths() {
        #expect(TargetPath("locations[0].addresses[0].postal_code")?.segments.map(\.index) == [.fixed(0), .fixed(0), nil])
        #expect(TargetPath("phones[].number")?.spreads == true)
        #expect(TargetPath("a[].b[]")?.spreadCount == 2)
        #expect(TargetPath("a..b") == nil)
        #expect(TargetPath("a[x]") == nil)
        #expect(CompiledProfile.objectPlace(of: TargetPath("service_at_locations[0].location.id")!, root: "service") == ["service_at_locations[0].location"])
        #expect(CompiledProfile.objectPlace(of: TargetPath("phones[].id")!, root: "service") == ["phones[", "]"])
        #expect(CompiledProfile.objectPlace(of: TargetPath("service_at_locations[].location.phones[].id")!, root: "service")
                == ["service_at_locations[", "].location.phones[", "]"])
        #expect(CompiledProfile.objectPlace(of: TargetPath("id")!, root: "service") == ["service"])
    }
}
