import Testing

@testable import HeraldStore

/// The hashed layout of fields, byte for byte: numbers read exactly as `String(number)` does, so links written by
/// any release stay verifiable.
@Suite struct FieldBytesTests {
    @Test(arguments: [Int64(0), 7, 10, 99, 1_700_000_000_123, -5, -1_000, .max, .min])
    func numbersAreWrittenAsTheirDecimalText(_ number: Int64) {
        var fields = FieldBytes()
        fields.add(number)
        let text = String(number)
        #expect(fields.bytes == Array("\(text.utf8.count):\(text)".utf8))
    }

    @Test func textIsPrefixedByItsUTF8LengthAndAbsentValuesAreEmpty() {
        var fields = FieldBytes()
        fields.add("Zoë")
        fields.add(String?.none)
        fields.add(Int?.none)
        fields.add(String(repeating: "a", count: 1234))
        #expect(fields.bytes == Array("4:Zoë0:0:1234:\(String(repeating: "a", count: 1234))".utf8))
    }
}
