import Foundation

/// The contents of one electronic receipt (Decree 123/2020 Art. 32) and its XML form. The XML is what is signed:
/// it is written byte for byte the same from the same contents (fixed element order, no indentation choices left to
/// a library), so the stored document and the signature over it stay comparable.
public struct ReceiptDocument: Sendable, Equatable {
    public struct Party: Sendable, Equatable {
        public var name: String
        public var address: String
        public var idNumber: String
        public init(name: String, address: String, idNumber: String) {
            self.name = name
            self.address = address
            self.idNumber = idNumber
        }
    }

    public var unitCode: String
    public var unitName: String
    public var formSymbol: String
    public var receiptSymbol: String
    public var number: Int
    public var lookupCode: String
    public var purpose: ReceiptPurpose
    public var issuedOn: LocalDate
    public var collector: String
    public var payer: Party
    public var caseCode: String
    public var item: String
    public var amount: Int64
    /// "AA-25E 0000012" of the receipt this one replaces.
    public var replaces: String?
    /// Signed with a self-signed demonstration certificate: the document says so itself.
    public var demoSignature: Bool

    public init(
        unitCode: String, unitName: String, formSymbol: String, receiptSymbol: String, number: Int, lookupCode: String,
        purpose: ReceiptPurpose, issuedOn: LocalDate, collector: String, payer: Party, caseCode: String, item: String,
        amount: Int64, replaces: String? = nil, demoSignature: Bool
    ) {
        self.unitCode = unitCode
        self.unitName = unitName
        self.formSymbol = formSymbol
        self.receiptSymbol = receiptSymbol
        self.number = number
        self.lookupCode = lookupCode
        self.purpose = purpose
        self.issuedOn = issuedOn
        self.collector = collector
        self.payer = payer
        self.caseCode = caseCode
        self.item = item
        self.amount = amount
        self.replaces = replaces
        self.demoSignature = demoSignature
    }

    public var amountInWords: String { AmountInWords.receiptLine(amount) }
    public var displayNumber: String { ReceiptRules.display(number) }
    /// "AA-25E 0000012": how a receipt is named on another document.
    public var reference: String { receiptSymbol + " " + displayNumber }

    public static let namespace = "urn:thads:bien-lai-dien-tu:1"
    public static let demoNotice = "Ký bằng chứng thư số tự cấp để thử nghiệm — không có giá trị pháp lý"

    /// The XML document: UTF-8, no declaration of standalone-ness, one element per line.
    public var xml: String {
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<BienLai xmlns=\"\(Self.namespace)\">"]
        func add(_ name: String, _ value: String, indent: Int = 1) {
            lines.append(String(repeating: "  ", count: indent) + "<\(name)>\(Self.escape(value))</\(name)>")
        }
        add("KyHieuMau", formSymbol)
        add("KyHieu", receiptSymbol)
        add("So", displayNumber)
        add("MaTraCuu", lookupCode)
        add("LoaiThu", purpose.rawValue)
        add("TenLoaiThu", purpose.label)
        add("NgayLap", issuedOn.iso)
        lines.append("  <DonViThu>")
        add("Ma", unitCode, indent: 2)
        add("Ten", unitName, indent: 2)
        add("NguoiThu", collector, indent: 2)
        lines.append("  </DonViThu>")
        lines.append("  <NguoiNop>")
        add("HoTen", payer.name, indent: 2)
        add("DiaChi", payer.address, indent: 2)
        add("SoDinhDanh", payer.idNumber, indent: 2)
        lines.append("  </NguoiNop>")
        add("MaHoSo", caseCode)
        add("NoiDung", item)
        add("SoTien", String(amount))
        add("DonViTien", "VND")
        add("SoTienBangChu", amountInWords)
        if let replaces { add("ThayTheBienLai", replaces) }
        if demoSignature { add("GhiChuChuKy", Self.demoNotice) }
        lines.append("</BienLai>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text and attribute escaping for the five XML specials, tab and newline as character references; other control
    /// characters are dropped (XML 1.0 cannot carry them).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // Character references keep the document one element per line (`init(xml:)` reads it back by lines).
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension ReceiptDocument {
    /// Reads back a document this type wrote (one element per line). Anything else gives nil; a document that reads
    /// back is still trusted only after its signature verifies.
    public init?(xml: String) {
        var fields: [String: String] = [:]
        var parent = ""
        for raw in xml.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("<"), !line.hasPrefix("<?") else { continue }
            if line.hasPrefix("</") {
                parent = ""
                continue
            }
            guard let close = line.firstIndex(of: ">") else { return nil }
            let name = String(line[line.index(after: line.startIndex)..<close])
            guard let end = line.range(of: "</" + name + ">", options: .backwards) else {
                if !name.contains(" ") { parent = name }
                continue
            }
            let value = String(line[line.index(after: close)..<end.lowerBound])
            fields[(parent.isEmpty ? "" : parent + "/") + name] = Self.unescape(value)
        }
        guard let number = fields["So"].flatMap({ Int($0) }), let amount = fields["SoTien"].flatMap({ Int64($0) }),
            let purpose = fields["LoaiThu"].flatMap(ReceiptPurpose.init(rawValue:)),
            let issuedOn = fields["NgayLap"].flatMap(LocalDate.init(iso:))
        else { return nil }
        self.init(
            unitCode: fields["DonViThu/Ma"] ?? "", unitName: fields["DonViThu/Ten"] ?? "",
            formSymbol: fields["KyHieuMau"] ?? "", receiptSymbol: fields["KyHieu"] ?? "", number: number,
            lookupCode: fields["MaTraCuu"] ?? "", purpose: purpose, issuedOn: issuedOn,
            collector: fields["DonViThu/NguoiThu"] ?? "",
            payer: Party(
                name: fields["NguoiNop/HoTen"] ?? "", address: fields["NguoiNop/DiaChi"] ?? "",
                idNumber: fields["NguoiNop/SoDinhDanh"] ?? ""),
            caseCode: fields["MaHoSo"] ?? "", item: fields["NoiDung"] ?? "", amount: amount,
            replaces: fields["ThayTheBienLai"], demoSignature: fields["GhiChuChuKy"] != nil)
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&#9;", with: "\t").replacingOccurrences(of: "&#10;", with: "\n")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
