/// An error a person will read: `message` says what went wrong and what to do, in one or two plain sentences.
public struct HeraldError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable category, open to new members without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Raw: String {
            case invalidInput = "invalid_input"
            case configuration
            case template
            case notFound = "not_found"
            case conflict
            case storage
            case storageUnavailable = "storage_unavailable"
            case storageCorrupt = "storage_corrupt"
            case transport
            case audit
            case fourEyes = "four_eyes"
        }

        private let raw: Raw
        private init(_ raw: Raw) { self.raw = raw }

        /// Input from a caller (CLI argument, API field, batch line) was refused.
        public static let invalidInput = Code(.invalidInput)
        /// channels.yml, a secret reference or the templates folder is unusable.
        public static let configuration = Code(.configuration)
        /// A template is missing or could not be rendered with the given data.
        public static let template = Code(.template)
        /// A message, channel or other named thing does not exist.
        public static let notFound = Code(.notFound)
        /// The request conflicts with the current state (e.g. retrying a delivered message).
        public static let conflict = Code(.conflict)
        /// The store failed to read or write.
        public static let storage = Code(.storage)
        /// The store cannot be written or read for now (busy, locked by another process, disk full, an I/O error):
        /// waiting may be enough, and a worker waits rather than exits.
        public static let storageUnavailable = Code(.storageUnavailable)
        /// The database is damaged or is not a Herald database: waiting cannot help.
        public static let storageCorrupt = Code(.storageCorrupt)
        /// The network transport failed before any delivery was attempted.
        public static let transport = Code(.transport)
        /// The audit trail failed verification.
        public static let audit = Code(.audit)
        /// Whoever asked for a message that needs an approval tried to approve it too.
        public static let fourEyes = Code(.fourEyes)

        public var description: String { raw.rawValue }
    }

    public var code: Code
    public var message: String
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}
