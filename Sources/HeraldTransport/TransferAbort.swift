import Synchronization

/// A flag a blocking transfer polls from libcurl's progress callback (at least once a second, even while libcurl
/// waits for an SMTP server's last reply), so that a stop or a cancellation ends the transfer within a second
/// instead of when the server answers.
final class TransferAbort: Sendable {
    private let raised = Atomic<Bool>(false)

    func raise() {
        raised.store(true, ordering: .relaxed)
    }

    var isRaised: Bool { raised.load(ordering: .relaxed) }
}
