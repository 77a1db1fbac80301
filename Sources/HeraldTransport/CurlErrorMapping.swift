import CCurl

/// Reads a libcurl result code as a transport failure: what kind, and whether the request may have arrived.
enum CurlErrorMapping {
    static func error(for code: CURLcode, detail: String, requestSent: Bool) -> TransportError {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            return TransportError(code: .connect, message: detail, requestMayHaveArrived: false)
        case CURLE_OPERATION_TIMEDOUT:
            return TransportError(code: .timeout, message: detail, requestMayHaveArrived: requestSent)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CRL_BADFILE, CURLE_USE_SSL_FAILED:
            return TransportError(code: .tls, message: detail, requestMayHaveArrived: false)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT:
            return TransportError(code: .invalidRequest, message: detail, requestMayHaveArrived: false)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_WEIRD_SERVER_REPLY, CURLE_PARTIAL_FILE,
            CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return TransportError(code: .protocolError, message: detail, requestMayHaveArrived: true)
        default:
            return TransportError(code: .other, message: detail, requestMayHaveArrived: requestSent)
        }
    }
}
