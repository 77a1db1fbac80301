import CCurl

/// Sets options on one easy handle and keeps the first refusal, so configuring a transfer reads as a list of
/// settings rather than a list of error checks.
struct CurlOptions {
    let easy: UnsafeMutableRawPointer
    private(set) var failure: String?

    init(easy: UnsafeMutableRawPointer) {
        self.easy = easy
    }

    mutating func check(_ code: CURLcode, _ what: String) {
        if code != CURLE_OK && failure == nil { failure = "\(what): \(String(cString: curl_easy_strerror(code)))" }
    }

    mutating func set(_ option: CURLoption, _ value: Int, _ what: String) {
        check(herald_easy_setopt_long(easy, option, value), what)
    }

    /// libcurl copies string options, so `value` need not outlive the call.
    mutating func set(_ option: CURLoption, _ value: String, _ what: String) {
        check(herald_easy_setopt_string(easy, option, value), what)
    }
}
