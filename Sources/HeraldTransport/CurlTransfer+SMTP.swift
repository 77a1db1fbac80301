import CCurl
import Foundation

/// Email submission on an easy handle (docs/channels.md §7): envelope, upload of the built message, TLS that is
/// required rather than tried, and the server's replies kept so its last one can be the proof or the reason.
extension CurlTransfer {
    func configureSMTP(_ request: SMTPRequest, _ options: inout CurlOptions, userData: UnsafeMutableRawPointer) {
        options.set(CURLOPT_URL, request.url, "url")
        options.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps", "protocols")
        if request.requireSTARTTLS {
            options.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue), "require TLS")
        }
        if let caFile = request.caFile {
            options.set(CURLOPT_CAINFO, caFile, "CA file")
        }
        if let username = request.username {
            options.set(CURLOPT_USERNAME, username, "username")
            options.set(CURLOPT_PASSWORD, request.password ?? "", "password")
        }
        options.set(CURLOPT_MAIL_FROM, "<\(request.mailFrom)>", "envelope sender")
        var list: UnsafeMutablePointer<curl_slist>?
        for recipient in request.recipients {
            list = curl_slist_append(list, "<\(recipient)>")
        }
        stringList = list
        options.check(herald_easy_setopt_pointer(easy, CURLOPT_MAIL_RCPT, list), "envelope recipients")
        upload = request.message
        uploaded = 0
        options.set(CURLOPT_UPLOAD, 1, "upload")
        options.check(herald_easy_setopt_off_t(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(upload.count)), "message size")
        options.check(herald_easy_setopt_pointer(easy, CURLOPT_READDATA, userData), "read data")
        options.check(herald_easy_setopt_data_callback(easy, CURLOPT_READFUNCTION, { buffer, size, count, userData in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData!).takeUnretainedValue()
            return transfer.sendMessage(into: buffer, capacity: size * count)
        }), "read callback")
    }

    /// libcurl pulls the message through here in pieces; 0 ends it.
    fileprivate func sendMessage(into buffer: UnsafeMutablePointer<CChar>?, capacity: Int) -> Int {
        guard let buffer else { return 0 }
        let count = min(capacity, upload.count - uploaded)
        guard count > 0 else { return 0 }
        upload.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + uploaded, byteCount: count)
        }
        uploaded += count
        return count
    }

    /// Every server reply line passes through here; a line with a space after its code ends a reply. The first
    /// refusal (4xx or 5xx) is kept apart: after it libcurl may still say QUIT, whose `221 Bye` is no reason.
    func receiveReply(_ line: Slice<UnsafeBufferPointer<UInt8>>) {
        guard line.count >= 3, line.prefix(3).allSatisfy({ (48...57).contains($0) }) else { return }
        if line.count == 3 || line[line.startIndex + 3] == 32 {
            lastReply = String(decoding: line.prefix(512), as: UTF8.self)
            if firstRefusal == nil, line[line.startIndex] == UInt8(ascii: "4") || line[line.startIndex] == UInt8(ascii: "5") {
                firstRefusal = lastReply
            }
        }
    }

    /// A server that answered, even with a refusal, gave a reply the adapter classifies; nil means there was no
    /// usable reply (a network or TLS failure), which the transport reports as an error.
    func smtpReply(code: CURLcode, responseCode: Int) -> SMTPResponse? {
        if code == CURLE_OK { return SMTPResponse(code: responseCode, reply: lastReply) }
        switch code {
        case CURLE_SEND_ERROR, CURLE_WEIRD_SERVER_REPLY, CURLE_LOGIN_DENIED, CURLE_RECV_ERROR, CURLE_QUOTE_ERROR:
            if let refusal = firstRefusal, let refusedCode = Int(refusal.prefix(3)) {
                return SMTPResponse(code: refusedCode, reply: refusal)
            }
            guard responseCode >= 400 else { return nil }
            return SMTPResponse(code: responseCode, reply: lastReply.isEmpty ? "\(responseCode)" : lastReply)
        default:
            return nil
        }
    }
}
