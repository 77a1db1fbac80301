import GRDB
import HeraldStore

extension SQLiteStore {
    static let keyedAuditMigration = "v6 keyed audit and retention"

    /// Schema migrations, in SQL terms. Never edit a shipped migration: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE messages (
                        id TEXT PRIMARY KEY NOT NULL,
                        group_id TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        recipient TEXT NOT NULL,
                        content TEXT NOT NULL,
                        data TEXT NOT NULL,
                        state TEXT NOT NULL,
                        not_before INTEGER NOT NULL,
                        deadline INTEGER,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        retry_base INTEGER NOT NULL DEFAULT 0,
                        lease_owner TEXT,
                        lease_expires INTEGER,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        last_detail TEXT
                    ) STRICT;
                    CREATE INDEX messages_due ON messages(channel, not_before, id) WHERE state IN ('scheduled', 'retrying');
                    CREATE INDEX messages_leased ON messages(channel, lease_expires) WHERE state = 'sending';
                    CREATE INDEX messages_deadline ON messages(deadline)
                        WHERE deadline IS NOT NULL AND state IN ('held', 'scheduled', 'retrying', 'sending');
                    CREATE INDEX messages_channel_deadline ON messages(channel, deadline)
                        WHERE deadline IS NOT NULL AND state IN ('held', 'scheduled', 'retrying', 'sending');
                    CREATE INDEX messages_group ON messages(group_id);

                    CREATE TABLE dedupe_keys (
                        key TEXT PRIMARY KEY NOT NULL,
                        group_id TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    ) STRICT;

                    CREATE TABLE attempts (
                        rowid INTEGER PRIMARY KEY,
                        message_id TEXT NOT NULL,
                        number INTEGER NOT NULL,
                        started_at INTEGER NOT NULL,
                        duration_ms INTEGER NOT NULL,
                        outcome TEXT NOT NULL,
                        status INTEGER,
                        detail TEXT NOT NULL,
                        worker TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX attempts_message ON attempts(message_id);

                    CREATE TABLE audit_events (
                        seq INTEGER PRIMARY KEY,
                        message_id TEXT,
                        at INTEGER NOT NULL,
                        event TEXT NOT NULL,
                        detail TEXT NOT NULL,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX audit_events_message ON audit_events(message_id);

                    CREATE TABLE audit_head (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        seq INTEGER NOT NULL,
                        hash TEXT NOT NULL
                    ) STRICT;
                    """
            )
        }
        migrator.registerMigration("v2 reviews") { db in
            try db.execute(
                sql: """
                    CREATE TABLE reviews (
                        reference TEXT PRIMARY KEY NOT NULL,
                        type TEXT NOT NULL,
                        title TEXT NOT NULL,
                        signed_off TEXT NOT NULL,
                        publish TEXT NOT NULL,
                        learning_event TEXT,
                        status TEXT NOT NULL,
                        hold_reason TEXT,
                        held_by TEXT,
                        held_at INTEGER,
                        published_at INTEGER,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    ) STRICT;

                    CREATE TABLE review_messages (
                        message_id TEXT PRIMARY KEY NOT NULL,
                        review_ref TEXT NOT NULL,
                        step TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX review_messages_review ON review_messages(review_ref);

                    CREATE TABLE approvals (
                        message_id TEXT PRIMARY KEY NOT NULL,
                        approved_by TEXT,
                        approved_at INTEGER
                    ) STRICT;
                    """
            )
        }
        migrator.registerMigration("v3 posts and sessions") { db in
            try db.execute(
                sql: """
                    ALTER TABLE attempts ADD COLUMN post_id TEXT;
                    ALTER TABLE attempts ADD COLUMN post_url TEXT;
                    ALTER TABLE messages ADD COLUMN post_url TEXT;

                    CREATE TABLE channel_sessions (
                        channel TEXT PRIMARY KEY NOT NULL,
                        session TEXT NOT NULL,
                        updated_at INTEGER NOT NULL
                    ) STRICT;
                    """
            )
        }
        migrator.registerMigration("v4 unanswered attempts") { db in
            try db.execute(sql: "ALTER TABLE messages ADD COLUMN unanswered_since INTEGER")
        }
        migrator.registerMigration("v5 channel pauses") { db in
            try db.execute(
                sql: """
                    CREATE TABLE channel_pauses (
                        channel TEXT PRIMARY KEY NOT NULL,
                        paused_until INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        updated_at INTEGER NOT NULL
                    ) STRICT;
                    """
            )
        }
        migrator.registerMigration(keyedAuditMigration) { db in
            try db.execute(
                sql: """
                    ALTER TABLE messages ADD COLUMN content_purged_at INTEGER;
                    ALTER TABLE messages ADD COLUMN recipient_purged_at INTEGER;
                    ALTER TABLE attempts ADD COLUMN reply_digest TEXT;

                    ALTER TABLE audit_events ADD COLUMN scheme INTEGER NOT NULL DEFAULT \(AuditChain.legacyScheme);
                    ALTER TABLE audit_events ADD COLUMN note_digest TEXT;
                    ALTER TABLE audit_events ADD COLUMN state TEXT;
                    ALTER TABLE audit_events ADD COLUMN attempt INTEGER;
                    ALTER TABLE audit_events ADD COLUMN content_digest TEXT;
                    ALTER TABLE audit_events ADD COLUMN recipient_digest TEXT;
                    ALTER TABLE audit_head ADD COLUMN key_id TEXT;

                    CREATE TABLE audit_notes (
                        seq INTEGER PRIMARY KEY,
                        note TEXT NOT NULL
                    ) STRICT;
                    """
            )
            // Replies stored before: their digests, which the proofs of later events bind. (The messages' digests are set
            // by the events `linkLegacyTrail` writes, under the key.)
            for row in try Row.fetchAll(db, sql: "SELECT rowid, detail FROM attempts") {
                try db.execute(
                    sql: "UPDATE attempts SET reply_digest = ? WHERE rowid = ?", arguments: [AuditDigest.text(row["detail"]), row["rowid"] as Int64]
                )
            }
        }
        migrator.registerMigration("v7 api tokens") { db in
            try db.execute(
                sql: """
                    CREATE TABLE api_tokens (
                        name TEXT PRIMARY KEY NOT NULL,
                        digest TEXT NOT NULL UNIQUE,
                        roles TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        created_by TEXT NOT NULL,
                        revoked_at INTEGER
                    ) STRICT;
                    """
            )
        }
        migrator.registerMigration("v8 approvals by whom, listing by state") { db in
            // Who loaded or planned a message that waits for an approval, so the same caller cannot approve it (four
            // eyes); and an index for operators' lists by state (dead, held), which would otherwise scan every message.
            try db.execute(
                sql: """
                    ALTER TABLE approvals ADD COLUMN requested_by TEXT;
                    CREATE INDEX messages_state ON messages(state, id);
                    """
            )
        }
        return migrator
    }
}
