#!/usr/bin/env bash
# The main job on the embedded default: build Herald, start a loopback webhook sink that verifies signatures and a
# loopback SMTP server, plan a few messages, deliver them, and show the delivery log.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product herald
herald=.build/release/herald
work=$(mktemp -d)
trap 'kill "$sink" "$smtp" "$mastodon" 2>/dev/null || true; rm -rf "$work"' EXIT
export HERALD_DB="$work/herald.db"
# Throw-away audit and checkpoint-signing keys, outside the database as in production (docs/audit.md).
$herald audit init-key --out "$work/audit.key" >/dev/null
$herald audit init-key --signing --out "$work/signing.key" >/dev/null
HERALD_AUDIT_KEY=$(cat "$work/audit.key")
HERALD_AUDIT_SIGNING_KEY=$(cat "$work/signing.key")
export HERALD_AUDIT_KEY HERALD_AUDIT_SIGNING_KEY
HERALD_DEMO_WEBHOOK_SECRET="whsec_$(head -c 32 /dev/urandom | base64)"
export HERALD_DEMO_WEBHOOK_SECRET
python3 scripts/webhook_sink.py --port 18090 --secret "$HERALD_DEMO_WEBHOOK_SECRET" &
sink=$!
mkdir -p "$work/mail"
/usr/bin/python3 Tests/Support/smtp_sink.py --port 18025 --ready-file "$work/smtp-port" --maildir "$work/mail" --life 120 &
smtp=$!
HERALD_DEMO_MASTODON_TOKEN="demo-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export HERALD_DEMO_MASTODON_TOKEN
mkdir -p "$work/mastodon"
/usr/bin/python3 Tests/Support/social_fake.py --network mastodon --port 18095 --ready-file "$work/mastodon-port" \
  --log-dir "$work/mastodon" --credential "token=$HERALD_DEMO_MASTODON_TOKEN" --life 120 &
mastodon=$!
sleep 1
$herald check
for title in "Review published: practitioner notice" "Briefing for comms partners" "Learning event invitation"; do
  $herald enqueue --channel partners --kind notice --data "{\"title\": \"$title\", \"body\": \"Please read the attached summary.\"}"
done
$herald enqueue --channel email --kind notice \
  --to "Zoë Müller <zoe.muller@agency.example.org>" --to "Sam Patel <sam.patel@agency.example.org>" \
  --data '{"title": "Review published: practitioner notice", "body": "The review will be published in 21 days."}'
reminder=$($herald enqueue --channel partners --kind notice --at +3s --data '{"title": "Reminder", "body": "The learning event is next week."}')
echo "== worker: delivers what is due now, sleeps until the reminder falls due, stops on SIGTERM"
$herald worker &
worker=$!
sleep 5
kill -TERM "$worker"
wait "$worker"
echo "== delivery log"
$herald log
echo "== the first email as the SMTP server received it"
sed -n '1,12p' "$work/mail/1.eml"
echo "== one message, with its attempts and audit events"
$herald show "$reminder"
echo "== a sample review: plan a CSPR's whole timeline on the earliest valid working day about five weeks out"
today=$(date +%F)
for offset in $(seq 35 45); do
  publish=$(date -d "$today + $offset days" +%F)
  if $herald review plan --type CSPR --id CSPR-DEMO-01 --title "Child D" --signed-off "$today" --publish "$publish" \
      --practitioners examples/practitioners.csv --learning-event "$(date -d "$publish + 21 days" +%F)" --dry-run >/dev/null 2>&1; then
    break
  fi
done
$herald review plan --type CSPR --id CSPR-DEMO-01 --title "Child D" --signed-off "$today" --publish "$publish" \
  --practitioners examples/practitioners.csv --learning-event "$(date -d "$publish + 21 days" +%F)" || \
  $herald review plan --type CSPR --id CSPR-DEMO-01 --title "Child D" --signed-off "$today" --publish "$publish" \
    --practitioners examples/practitioners.csv
echo "== the review's status: every step scheduled, not yet ready to publish"
$herald review status CSPR-DEMO-01
echo "== what a media enquiry gets before publication"
$herald review holding-statement CSPR-DEMO-01
echo "== delivery log, with the review's messages waiting for their days"
$herald log --limit 30
echo "== a campaign: each post rendered per network with its length, loaded held, one post approved"
cat > "$work/campaign.yml" <<CAMPAIGN
campaign: demo-week
posts:
  - name: launch
    networks: [mastodon]
    at: "$(date -d "$today + 7 days" +%F) 09:00"
    text: "Safeguarding Awareness Week starts today. Everyone has a part to play: https://partnership.example.org/week"
  - name: online-safety
    networks: [mastodon]
    at: "$(date -d "$today + 8 days" +%F) 12:30"
    template: campaign_post
    data: { headline: "Talk to the children in your life about staying safe online.", link: "https://partnership.example.org/week/online", hashtag: SafeguardingWeek }
CAMPAIGN
$herald campaign preview "$work/campaign.yml"
$herald campaign load "$work/campaign.yml" | tee "$work/loaded.txt"
first=$(awk '/held for approval/ { print $NF; exit }' "$work/loaded.txt")
$herald approve "$first" --as Executive
echo "== a post now, to the local fake Mastodon: the status URL it answers with is the receipt"
post=$($herald enqueue --channel mastodon --kind campaign_post --template campaign_post \
  --data '{"headline": "Our annual report is out.", "link": "https://partnership.example.org/report", "hashtag": "Safeguarding"}')
$herald worker --once
$herald show "$post"
$herald log --channel mastodon
echo "== the audit trail: a signed checkpoint kept outside the database, then every link, digest and state checked against it"
$herald audit checkpoint --append "$work/checkpoints.jsonl"
$herald audit verify --checkpoints "$work/checkpoints.jsonl"
