import CCurl
import Foundation
import HeraldCore

/// One HTTP transfer on the engine's thread: the easy handle's settings, the response being read, and the
/// completion to call. Touched only by the engine thread between `configure` and `finish`.
final class CurlTransfer {
    let easy: UnsafeMutableRawPointer
    private let completion: HTTPTransport.Completion
    private let bodyLimit: Int
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var status = 0
    private var headers: [HTTPHeader] = []
    private var body: [UInt8] = []
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(easy: UnsafeMutableRawPointer, completion: @escaping HTTPTransport.Completion, bodyLimit: Int) {
        self.easy = easy
        self.completion = completion
        self.bodyLimit = bodyLimit
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// Sets every option for `request`; returns a message if the request cannot be sent at all.
    func configure(_ request: HTTPRequest, userData: UnsafeMutableRawPointer) -> String? {
        let easy = self.easy
        var failed: String?
        func check(_ code: CURLcode, _ what: String) {
            if code != CURLE_OK && failed == nil { failed = "\(what): \(String(cString: curl_easy_strerror(code)))" }
        }
        check(herald_easy_setopt_string(easy, CURLOPT_URL, request.url), "url")
        check(herald_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols")
        check(herald_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "nosignal")
        check(herald_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1), "nodelay")
        check(herald_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0), "redirects")
        check(herald_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1), "verify peer")
        check(herald_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2), "verify host")
        check(herald_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout)), "timeout")
        check(herald_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)), "connect timeout")
        check(herald_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer), "error buffer")
        check(herald_easy_setopt_pointer(easy, CURLOPT_PRIVATE, userData), "private")
        check(herald_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, userData), "write data")
        check(herald_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, userData), "header data")
        check(herald_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, { buffer, size, count, userData in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData!).takeUnretainedValue()
            transfer.receiveBody(buffer, size * count)
            return size * count
        }), "write callback")
        check(herald_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, { buffer, size, count, userData in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData!).takeUnretainedValue()
            transfer.receiveHeader(buffer, size * count)
            return size * count
        }), "header callback")

        var list: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Expect:")
        for header in request.headers {
            list = curl_slist_append(list, "\(header.name): \(header.value)")
        }
        headerList = list
        check(herald_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, list), "headers")

        switch request.method {
        case "GET":
            check(herald_easy_setopt_long(easy, CURLOPT_HTTPGET, 1), "get")
        case "POST":
            check(setBody(request.body), "body")
        default:
            check(herald_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method), "method")
            check(setBody(request.body), "body")
        }
        return failed
    }

    /// A zero-length body still needs a valid pointer.
    nonisolated(unsafe) private static let emptyBody = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

    /// Hands libcurl a copy of the body (COPYPOSTFIELDS), so the transfer owns no buffer of its own.
    private func setBody(_ body: [UInt8]) -> CURLcode {
        let sized = herald_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
        guard sized == CURLE_OK else { return sized }
        return body.withUnsafeBytes { bytes in
            herald_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress) ?? Self.emptyBody)
        }
    }

    private static func milliseconds(_ seconds: TimeInterval) -> Int {
        Int(max(1, min(seconds, 86_400)) * 1000)
    }

    fileprivate func receiveBody(_ buffer: UnsafeMutablePointer<CChar>?, _ count: Int) {
        guard let buffer, body.count < bodyLimit else { return }
        let take = min(count, bodyLimit - body.count)
        buffer.withMemoryRebound(to: UInt8.self, capacity: take) { body.append(contentsOf: UnsafeBufferPointer(start: $0, count: take)) }
    }

    fileprivate func receiveHeader(_ buffer: UnsafeMutablePointer<CChar>?, _ count: Int) {
        guard let buffer else { return }
        buffer.withMemoryRebound(to: UInt8.self, capacity: count) { start in
            var line = UnsafeBufferPointer(start: start, count: count)[...]
            while let last = line.last, last == 13 || last == 10 || last == 32 { line = line.dropLast() }
            if line.starts(with: [72, 84, 84, 80, 47]) {  // "HTTP/": a new response (after 100 Continue, say)
                headers.removeAll()
                return
            }
            guard let colon = line.firstIndex(of: 58) else { return }
            var value = line[(colon + 1)...]
            while let first = value.first, first == 32 || first == 9 { value = value.dropFirst() }
            headers.append(HTTPHeader(String(decoding: line[..<colon], as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
    }

    /// Reads the result off the easy handle and hands it to the completion.
    func finish(code: CURLcode) {
        var responseCode = 0
        herald_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &responseCode)
        if code == CURLE_OK {
            status = responseCode
            completion(.success(HTTPResponse(status: status, headers: headers, body: body)))
            return
        }
        var requestSize = 0
        herald_easy_getinfo_long(easy, CURLINFO_REQUEST_SIZE, &requestSize)
        let detail = errorBuffer.pointee != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        completion(.failure(CurlErrorMapping.error(for: code, detail: detail, requestSent: requestSize > 0)))
    }

    /// Completes without a transfer (the engine is stopping, or the request could not be set up).
    func fail(_ error: TransportError) {
        completion(.failure(error))
    }
}
