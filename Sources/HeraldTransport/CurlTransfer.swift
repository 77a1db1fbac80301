import CCurl
import Foundation
import HeraldCore

/// One transfer on the engine's thread: the easy handle's settings, the response being read, and the completion to
/// call. Touched only by the engine thread between `configure` and `finish`.
final class CurlTransfer {
    let easy: UnsafeMutableRawPointer
    private let completion: Transport.Completion
    private let bodyLimit: Int
    /// Header lines for HTTP, recipients for SMTP: freed with the transfer, after libcurl is done with them.
    var stringList: UnsafeMutablePointer<curl_slist>?
    private var isSMTP = false
    private var headers: [HTTPHeader] = []
    private var body: [UInt8] = []
    /// For SMTP: the message being uploaded and how much of it libcurl has taken.
    var upload: [UInt8] = []
    var uploaded = 0
    /// For SMTP: the last complete reply line the server sent, and the first that refused something.
    var lastReply = ""
    var firstRefusal: String?
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    /// Ends the transfer from the progress callback when either is raised: the transfer's own (a caller abandoned it)
    /// or the engine's (it is shutting down). Set only for transfers that run blocking.
    let abort: [TransferAbort]

    init(easy: UnsafeMutableRawPointer, completion: @escaping Transport.Completion, bodyLimit: Int, abort: [TransferAbort] = []) {
        self.easy = easy
        self.completion = completion
        self.bodyLimit = bodyLimit
        self.abort = abort
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        if let stringList { curl_slist_free_all(stringList) }
        errorBuffer.deallocate()
    }

    /// Sets every option for `request`; returns a message if the request cannot be sent at all.
    func configure(_ request: TransferRequest, userData: UnsafeMutableRawPointer) -> String? {
        var options = CurlOptions(easy: easy)
        switch request {
        case .http(let http):
            configureCommon(&options, timeout: http.timeout, connectTimeout: http.connectTimeout, userData: userData)
            configureHTTP(http, &options)
        case .smtp(let smtp):
            isSMTP = true
            configureCommon(&options, timeout: smtp.timeout, connectTimeout: smtp.connectTimeout, userData: userData)
            configureSMTP(smtp, &options, userData: userData)
        }
        return options.failure
    }

    /// What every transfer gets: verified TLS, no signals, timeouts, and the callbacks that fill this object.
    private func configureCommon(_ options: inout CurlOptions, timeout: TimeInterval, connectTimeout: TimeInterval, userData: UnsafeMutableRawPointer) {
        options.set(CURLOPT_NOSIGNAL, 1, "nosignal")
        // An empty proxy turns off libcurl's reading of http_proxy, https_proxy and all_proxy: a variable in the
        // environment must not route a signed request, or clear text meant for loopback, through another host.
        options.set(CURLOPT_PROXY, "", "no proxy")
        options.set(CURLOPT_TCP_NODELAY, 1, "nodelay")
        options.set(CURLOPT_SSL_VERIFYPEER, 1, "verify peer")
        options.set(CURLOPT_SSL_VERIFYHOST, 2, "verify host")
        options.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout), "timeout")
        options.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout), "connect timeout")
        options.check(herald_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer), "error buffer")
        options.check(herald_easy_setopt_pointer(easy, CURLOPT_PRIVATE, userData), "private")
        options.check(herald_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, userData), "write data")
        options.check(herald_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, userData), "header data")
        options.check(herald_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, { buffer, size, count, userData in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData!).takeUnretainedValue()
            transfer.receiveBody(buffer, size * count)
            return size * count
        }), "write callback")
        options.check(herald_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, { buffer, size, count, userData in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData!).takeUnretainedValue()
            transfer.receiveHeader(buffer, size * count)
            return size * count
        }), "header callback")
        guard !abort.isEmpty else { return }
        options.set(CURLOPT_NOPROGRESS, 0, "progress")
        options.check(herald_easy_setopt_pointer(easy, CURLOPT_XFERINFODATA, userData), "progress data")
        options.check(herald_easy_setopt_progress_callback(easy, { userData, _, _, _, _ in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData!).takeUnretainedValue()
            return transfer.abort.contains { $0.isRaised } ? 1 : 0
        }), "progress callback")
    }

    private func configureHTTP(_ request: HTTPRequest, _ options: inout CurlOptions) {
        options.set(CURLOPT_URL, request.url, "url")
        options.set(CURLOPT_PROTOCOLS_STR, "http,https", "protocols")
        options.set(CURLOPT_FOLLOWLOCATION, 0, "redirects")
        var list: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Expect:")
        for header in request.headers {
            list = curl_slist_append(list, "\(header.name): \(header.value)")
        }
        stringList = list
        options.check(herald_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, list), "headers")

        switch request.method {
        case "GET":
            options.set(CURLOPT_HTTPGET, 1, "get")
        case "POST":
            options.check(setBody(request.body), "body")
        default:
            options.set(CURLOPT_CUSTOMREQUEST, request.method, "method")
            options.check(setBody(request.body), "body")
        }
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
            if isSMTP {
                receiveReply(line)
                return
            }
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
        if isSMTP, let reply = smtpReply(code: code, responseCode: responseCode) {
            completion(.success(.smtp(reply)))
            return
        }
        if code == CURLE_OK {
            completion(.success(.http(HTTPResponse(status: responseCode, headers: headers, body: body))))
            return
        }
        var requestSize = 0
        herald_easy_getinfo_long(easy, CURLINFO_REQUEST_SIZE, &requestSize)
        if code == CURLE_ABORTED_BY_CALLBACK {
            completion(.failure(TransportError(code: .cancelled, message: "abandoned while in flight", requestMayHaveArrived: requestSize > 0 || isSMTP)))
            return
        }
        let detail = errorBuffer.pointee != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        completion(.failure(CurlErrorMapping.error(for: code, detail: detail, requestSent: requestSize > 0)))
    }

    /// Completes without a transfer (the engine is stopping, or the request could not be set up).
    func fail(_ error: TransportError) {
        completion(.failure(error))
    }
}
