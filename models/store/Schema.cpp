#include "store/Schema.h"

#include "store/AddressBindings.h"
#include "store/EventDensity.h"
#include "store/HostName.h"
#include "store/ImageLoadBackfill.h"
#include "store/InferenceState.h"
#include "store/PayloadCodec.h"
#include "store/RecordBlockWriter.h"
#include "store/Sqlite.h"

#include <sqlite3.h>

#include <ctime>
#include <stdexcept>
#include <string>
#include <vector>

namespace tt::store {

namespace {

// Version 1: the canonical tables. Times are UTC microseconds since the Unix epoch (INTEGER).
// Every normalised row points back to its stored record (events.id) for provenance.
const char *const kSchemaV1 = R"SQL(
CREATE TABLE schema_version(
  version INTEGER NOT NULL,
  applied_utc INTEGER NOT NULL,
  app_version TEXT NOT NULL
);
CREATE TABLE case_info(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
-- Secondary indexes dropped for a bulk import and not yet rebuilt (names from kBulkIndexes only;
-- the DDL always comes from the code, never from the file).
CREATE TABLE deferred_indexes(name TEXT PRIMARY KEY) WITHOUT ROWID;

-- Provenance: one row per imported input file (archive members get their own row).
CREATE TABLE sources(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,            -- as given; archive members as 'outer.zip!/inner.json'
  size INTEGER,
  mtime INTEGER,                 -- seconds since epoch, when known
  sha256 TEXT NOT NULL UNIQUE,
  format TEXT NOT NULL,
  parser TEXT NOT NULL,
  parser_version TEXT NOT NULL,
  records_read INTEGER NOT NULL DEFAULT 0,
  records_stored INTEGER NOT NULL DEFAULT 0,
  records_rejected INTEGER NOT NULL DEFAULT 0,
  warnings INTEGER NOT NULL DEFAULT 0,
  first_ts INTEGER,
  last_ts INTEGER,
  imported_utc INTEGER NOT NULL,
  duration_ms INTEGER,
  -- A source is imported in one transaction, so its events are the contiguous id range
  -- [first_event, last_event]: no (source, position) index needed on the big table.
  first_event INTEGER,
  last_event INTEGER
);
CREATE INDEX sources_path ON sources(path, size, mtime);

-- What a parser rejected or warned about, with the record / line number.
CREATE TABLE import_issues(
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  position INTEGER,
  severity TEXT NOT NULL CHECK(severity IN ('reject','warning')),
  message TEXT NOT NULL
);
CREATE INDEX import_issues_source ON import_issues(source_id);

CREATE TABLE hosts(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,     -- normalised key: upper-case short (NetBIOS) name, or an IP
  fqdn TEXT,                     -- lower-case FQDN when seen
  is_ip_only INTEGER NOT NULL DEFAULT 0,
  is_dc INTEGER NOT NULL DEFAULT 0, -- logged KDC events (4768/4769/4771) or served SYSVOL / NETLOGON
  first_ts INTEGER,
  last_ts INTEGER,
  event_count INTEGER NOT NULL DEFAULT 0
);
-- Every spelling a host was seen under (FQDN, NetBIOS, machine account, as written).
CREATE TABLE host_names(
  name TEXT NOT NULL PRIMARY KEY,
  host_id INTEGER NOT NULL REFERENCES hosts(id),
  kind TEXT NOT NULL
) WITHOUT ROWID;
-- IP addresses of hosts: valid only within [first_ts, last_ts] and for the source they came from.
CREATE TABLE host_addresses(
  id INTEGER PRIMARY KEY,
  host_id INTEGER NOT NULL REFERENCES hosts(id),
  address TEXT NOT NULL,
  how TEXT NOT NULL,             -- e.g. 'sysmon3-local', '4624-workstation'
  source_id INTEGER NOT NULL REFERENCES sources(id),
  first_ts INTEGER,
  last_ts INTEGER,
  count INTEGER NOT NULL,
  evidence_event INTEGER REFERENCES events(id)
);
CREATE INDEX host_addresses_addr ON host_addresses(address, first_ts);
CREATE INDEX host_addresses_host ON host_addresses(host_id);

CREATE TABLE accounts(
  id INTEGER PRIMARY KEY,
  domain TEXT NOT NULL,          -- upper-case, '' when unknown
  name TEXT NOT NULL,            -- as first seen
  name_key TEXT NOT NULL,        -- upper-case name, for matching
  sid TEXT,
  is_machine INTEGER NOT NULL DEFAULT 0,
  UNIQUE(domain, name_key)
);
CREATE INDEX accounts_sid ON accounts(sid);

CREATE TABLE channels(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE providers(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

-- One row per stored record, with its full original payload.
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  ts INTEGER,                    -- UTC microseconds; NULL when the record had none
  ts_source INTEGER NOT NULL DEFAULT 0,
  host_id INTEGER REFERENCES hosts(id),
  channel_id INTEGER REFERENCES channels(id),
  provider_id INTEGER REFERENCES providers(id),
  event_id INTEGER NOT NULL,
  record_id INTEGER,
  account_id INTEGER REFERENCES accounts(id),
  source_id INTEGER NOT NULL REFERENCES sources(id),
  position INTEGER NOT NULL,     -- 1-based record ordinal or line number in the source
  payload_format INTEGER NOT NULL, -- 1 JSON rendered from fields, 2 original JSON line, 3 original XML
  payload_codec INTEGER NOT NULL DEFAULT 0, -- 0 raw, 1 zstd (store/PayloadCodec)
  payload BLOB NOT NULL
);

CREATE TABLE logon_sessions(
  id INTEGER PRIMARY KEY,
  event INTEGER NOT NULL REFERENCES events(id),
  host_id INTEGER NOT NULL REFERENCES hosts(id),
  ts INTEGER,
  end_ts INTEGER,
  outcome TEXT NOT NULL,         -- 'success' | 'failure'
  origin TEXT NOT NULL,          -- '4624', '4625', 'rdp-lsm', 'rdp-rcm', 'rdp-corets'
  logon_id TEXT,                 -- as logged, lower-case hex
  logon_type INTEGER,
  account_id INTEGER REFERENCES accounts(id),
  source_ip TEXT,
  source_port INTEGER,
  workstation TEXT,
  auth_package TEXT,
  logon_process TEXT,
  elevated INTEGER,
  privileged INTEGER NOT NULL DEFAULT 0,  -- 4672 seen for this logon id
  session_id TEXT                -- RDP session id
);
CREATE INDEX logon_sessions_host ON logon_sessions(host_id, logon_id);

CREATE TABLE explicit_logons(
  id INTEGER PRIMARY KEY,
  event INTEGER NOT NULL REFERENCES events(id),
  host_id INTEGER NOT NULL REFERENCES hosts(id),
  ts INTEGER,
  subject_account_id INTEGER REFERENCES accounts(id),
  subject_logon_id TEXT,
  target_account_id INTEGER REFERENCES accounts(id),
  target_server TEXT,
  target_info TEXT,
  ip TEXT,
  port INTEGER,
  process_image TEXT,
  pid INTEGER
);

CREATE TABLE processes(
  id INTEGER PRIMARY KEY,
  event INTEGER NOT NULL REFERENCES events(id),
  host_id INTEGER NOT NULL REFERENCES hosts(id),
  origin TEXT NOT NULL,          -- 'sysmon1' | '4688'
  guid TEXT,                     -- Sysmon ProcessGuid, upper-case with braces
  pid INTEGER,
  image TEXT,
  command_line TEXT,
  current_directory TEXT,
  parent_guid TEXT,
  parent_pid INTEGER,
  parent_image TEXT,
  parent_command_line TEXT,
  account_id INTEGER REFERENCES accounts(id),
  logon_id TEXT,
  integrity TEXT,
  hashes TEXT,
  start_ts INTEGER,
  end_ts INTEGER,
  end_event INTEGER REFERENCES events(id)
);
CREATE INDEX processes_host_guid ON processes(host_id, guid);
CREATE INDEX processes_host_pid ON processes(host_id, pid, start_ts);

CREATE TABLE file_events(
  id INTEGER PRIMARY KEY,
  event INTEGER NOT NULL REFERENCES events(id),
  host_id INTEGER NOT NULL REFERENCES hosts(id),
  ts INTEGER,
  kind TEXT NOT NULL,            -- create | stream | delete | delete-detected | access | pipe-create | pipe-connect
  path TEXT,
  image TEXT,
  process_guid TEXT,
  pid INTEGER,
  account_id INTEGER REFERENCES accounts(id),
  access_mask INTEGER,
  hashes TEXT
);

CREATE TABLE net_connections(
  id INTEGER PRIMARY KEY,
  event INTEGER NOT NULL REFERENCES events(id),
  host_id INTEGER NOT NULL REFERENCES hosts(id),
  ts INTEGER,
  protocol TEXT,
  initiated INTEGER,
  src_ip TEXT,
  src_port INTEGER,
  src_name TEXT,
  dst_ip TEXT,
  dst_port INTEGER,
  dst_name TEXT,
  image TEXT,
  process_guid TEXT,
  pid INTEGER,
  account_id INTEGER REFERENCES accounts(id)
);

CREATE TABLE share_accesses(
  id INTEGER PRIMARY KEY,
  event INTEGER NOT NULL REFERENCES events(id),
  host_id INTEGER NOT NULL REFERENCES hosts(id),
  ts INTEGER,
  code INTEGER NOT NULL,         -- 5140 share opened, 5142 share added, 5145 object checked
  share_name TEXT,
  share_path TEXT,
  relative_target TEXT,
  access_mask INTEGER,
  access_list TEXT,
  src_ip TEXT,
  src_port INTEGER,
  account_id INTEGER REFERENCES accounts(id),
  logon_id TEXT
);

CREATE TABLE service_installs(
  id INTEGER PRIMARY KEY,
  event INTEGER NOT NULL REFERENCES events(id),
  host_id INTEGER NOT NULL REFERENCES hosts(id),
  ts INTEGER,
  origin TEXT NOT NULL,          -- '7045' | '4697'
  service_name TEXT,
  image_path TEXT,
  service_type TEXT,
  start_type TEXT,
  service_account TEXT,
  account_id INTEGER REFERENCES accounts(id)
);

CREATE TABLE dns_queries(
  id INTEGER PRIMARY KEY,
  event INTEGER NOT NULL REFERENCES events(id),
  host_id INTEGER NOT NULL REFERENCES hosts(id),
  ts INTEGER,
  query TEXT,
  results TEXT,
  status TEXT,
  image TEXT,
  process_guid TEXT
);

-- Inferred host-to-host file transfers (graph/inference). Derived data: InferenceEngine::run()
-- replaces all rows in one transaction. src = where the bytes came from, dst = where they landed;
-- direction says which end acted (push: the source wrote, pull: the destination fetched).
CREATE TABLE transfers(
  id INTEGER PRIMARY KEY,
  src_host_id INTEGER REFERENCES hosts(id),    -- NULL when the source is unknown
  src_ip TEXT,
  dst_host_id INTEGER NOT NULL REFERENCES hosts(id),
  file_name TEXT NOT NULL,
  dst_path TEXT,
  src_path TEXT,
  method TEXT NOT NULL CHECK(method IN ('smb-admin-share','smb-share','psexec-service-binary','rdp-tsclient','other')),
  direction TEXT NOT NULL CHECK(direction IN ('push','pull')),
  account_id INTEGER REFERENCES accounts(id),
  src_process_id INTEGER REFERENCES processes(id),
  dst_process_id INTEGER REFERENCES processes(id), -- the process that executed the file on dst
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  confidence REAL NOT NULL CHECK(confidence >= 0 AND confidence <= 1),
  confidence_label TEXT NOT NULL CHECK(confidence_label IN ('high','medium','low')),
  executed INTEGER NOT NULL DEFAULT 0,
  hashes TEXT,
  rules TEXT NOT NULL                            -- contributing rule names, comma separated
);
CREATE INDEX transfers_src ON transfers(src_host_id, first_ts);
CREATE INDEX transfers_dst ON transfers(dst_host_id, first_ts);
CREATE INDEX transfers_account ON transfers(account_id, first_ts);
CREATE INDEX transfers_ts ON transfers(first_ts);
CREATE TABLE transfer_evidence(
  transfer_id INTEGER NOT NULL REFERENCES transfers(id),
  event INTEGER NOT NULL REFERENCES events(id),
  role TEXT NOT NULL,                            -- dst-write, dst-logon, dst-share, src-connect, src-command, dst-exec ...
  rule TEXT NOT NULL,
  PRIMARY KEY(transfer_id, event, role)
) WITHOUT ROWID;
CREATE INDEX transfer_evidence_event ON transfer_evidence(event);
-- Account spellings (DOMAIN\user, DNS-domain\user, UPN, SID-only) resolved to one account by inference.
CREATE TABLE account_links(
  account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
  canonical_id INTEGER NOT NULL REFERENCES accounts(id),
  how TEXT NOT NULL
);
)SQL";

// Version 2: the analyst's own work (issue #5) and wider transfer methods (issue #6).
// transfers is derived data but is rebuilt with its rows: the CHECK on method cannot be altered
// in place. transfers.key is the stable identity annotations use (ids change on re-inference):
// destination host name | lower-case destination path (or file name) | first second.
const char *const kSchemaV2 = R"SQL(
CREATE TABLE transfers_v2(
  id INTEGER PRIMARY KEY,
  src_host_id INTEGER REFERENCES hosts(id),
  src_ip TEXT,
  dst_host_id INTEGER NOT NULL REFERENCES hosts(id),
  file_name TEXT NOT NULL,
  dst_path TEXT,
  src_path TEXT,
  method TEXT NOT NULL CHECK(method IN ('smb-admin-share','smb-share','psexec-service-binary','rdp-tsclient',
                                        'scp','sftp','rsync','ftp','http','other')),
  direction TEXT NOT NULL CHECK(direction IN ('push','pull')),
  account_id INTEGER REFERENCES accounts(id),
  src_process_id INTEGER REFERENCES processes(id),
  dst_process_id INTEGER REFERENCES processes(id),
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  confidence REAL NOT NULL CHECK(confidence >= 0 AND confidence <= 1),
  confidence_label TEXT NOT NULL CHECK(confidence_label IN ('high','medium','low')),
  executed INTEGER NOT NULL DEFAULT 0,
  hashes TEXT,
  rules TEXT NOT NULL,
  key TEXT
);
INSERT INTO transfers_v2(id, src_host_id, src_ip, dst_host_id, file_name, dst_path, src_path, method, direction,
  account_id, src_process_id, dst_process_id, first_ts, last_ts, confidence, confidence_label, executed, hashes, rules)
  SELECT id, src_host_id, src_ip, dst_host_id, file_name, dst_path, src_path, method, direction, account_id,
  src_process_id, dst_process_id, first_ts, last_ts, confidence, confidence_label, executed, hashes, rules FROM transfers;
DROP TABLE transfers;
ALTER TABLE transfers_v2 RENAME TO transfers;
CREATE INDEX transfers_src ON transfers(src_host_id, first_ts);
CREATE INDEX transfers_dst ON transfers(dst_host_id, first_ts);
CREATE INDEX transfers_account ON transfers(account_id, first_ts);
CREATE INDEX transfers_ts ON transfers(first_ts);
CREATE INDEX transfers_key ON transfers(key);
-- Event -> process look-ups (evidence rows, pivots); also in the bulk index list.
CREATE INDEX IF NOT EXISTS processes_event ON processes(event);

-- Tags analysts put on annotated items; the built-in ones can be recoloured, not deleted.
CREATE TABLE tags(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  color TEXT NOT NULL,           -- '#rrggbb'
  builtin INTEGER NOT NULL DEFAULT 0,
  created_utc INTEGER NOT NULL   -- microseconds
);
INSERT INTO tags(name, color, builtin, created_utc) VALUES
  ('malicious', '#d62728', 1, 0), ('benign-admin', '#2ca02c', 1, 0), ('needs-review', '#ff7f0e', 1, 0);

-- One annotation per item: a note, tags and a bookmark flag. target_key is stable across
-- re-imports and re-inference: host -> hosts.name, transfer -> transfers.key, event / process /
-- account -> the row id as decimal text (those rows are never renumbered). label is the item's
-- display text when annotated, kept so an annotation whose item is gone still reads sensibly.
CREATE TABLE annotations(
  id INTEGER PRIMARY KEY,
  target_kind TEXT NOT NULL CHECK(target_kind IN ('host','transfer','event','process','account')),
  target_key TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  note_format TEXT NOT NULL DEFAULT 'plain' CHECK(note_format IN ('plain','markdown')),
  bookmarked INTEGER NOT NULL DEFAULT 0,
  author TEXT NOT NULL DEFAULT '',
  created_utc INTEGER NOT NULL,
  modified_utc INTEGER NOT NULL,
  UNIQUE(target_kind, target_key)
);
CREATE TABLE annotation_tags(
  annotation_id INTEGER NOT NULL REFERENCES annotations(id),
  tag_id INTEGER NOT NULL REFERENCES tags(id),
  PRIMARY KEY(annotation_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX annotation_tags_tag ON annotation_tags(tag_id);

-- Named workbench states: the filter (FilterState as JSON), node positions and viewport.
CREATE TABLE saved_views(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  filter_json TEXT NOT NULL,
  positions_json TEXT,           -- {"HOSTNAME": [x, y], ...} for nodes the analyst moved
  viewport_json TEXT,            -- {"x":..,"y":..,"w":..,"h":..} scene rectangle shown
  created_utc INTEGER NOT NULL,
  modified_utc INTEGER NOT NULL
);
-- Nodes the analyst dragged in the current graph, by host name (survives re-layout).
CREATE TABLE node_positions(
  host_name TEXT PRIMARY KEY,
  x REAL NOT NULL,
  y REAL NOT NULL
) WITHOUT ROWID;
)SQL";

// Version 3: network sensor records (Zeek, issue #6). A sensor is not a host: these rows carry the
// addresses of both ends (resolved against host_addresses by time, like every address) and point
// back to their events row (events.host_id is NULL for them). Columns are Zeek's own where they
// exist; 'log' names the Zeek log the row came from.
const char *const kSchemaV3 = R"SQL(
-- conn.log: one row per connection (orig = the side that opened it).
CREATE TABLE net_flows(
  id INTEGER PRIMARY KEY,
  event INTEGER NOT NULL REFERENCES events(id),
  ts INTEGER,
  uid TEXT,
  proto TEXT,
  service TEXT,
  orig_ip TEXT,
  orig_port INTEGER,
  resp_ip TEXT,
  resp_port INTEGER,
  duration_us INTEGER,
  orig_bytes INTEGER,
  resp_bytes INTEGER,
  missed_bytes INTEGER,
  conn_state TEXT,
  history TEXT
);
CREATE INDEX net_flows_resp ON net_flows(resp_ip, resp_port, ts);
CREATE INDEX net_flows_orig ON net_flows(orig_ip, ts);
CREATE INDEX net_flows_uid ON net_flows(uid);
-- A file seen crossing the wire: smb_files (action), files (source, tx -> rx), ftp (command),
-- http (method). src_ip / dst_ip are where the bytes came from / went to when the record says
-- (files: tx / rx hosts; smb write, ftp STOR, http PUT / POST: client -> server; reads the
-- other way); orig_ip / resp_ip are the connection's client and server.
CREATE TABLE net_files(
  id INTEGER PRIMARY KEY,
  event INTEGER NOT NULL REFERENCES events(id),
  ts INTEGER,
  log TEXT NOT NULL,             -- 'smb_files' | 'files' | 'ftp' | 'http'
  uid TEXT,
  fuid TEXT,
  orig_ip TEXT,
  orig_port INTEGER,
  resp_ip TEXT,
  resp_port INTEGER,
  src_ip TEXT,
  dst_ip TEXT,
  action TEXT,                   -- SMB::FILE_WRITE, STOR, PUT, GET, files: SMB / HTTP / FTP_DATA ...
  name TEXT,                     -- file name or path as logged (smb name, files filename, ftp arg, http uri)
  path TEXT,                     -- smb share path (\\HOST\SHARE), http host
  size INTEGER,
  mime TEXT,
  md5 TEXT,
  sha1 TEXT,
  sha256 TEXT,
  status TEXT                    -- ftp reply / http status code
);
CREATE INDEX net_files_ts ON net_files(ts);
CREATE INDEX net_files_uid ON net_files(uid);
-- kerberos / ntlm / ssh: who authenticated from where to what.
CREATE TABLE net_auth(
  id INTEGER PRIMARY KEY,
  event INTEGER NOT NULL REFERENCES events(id),
  ts INTEGER,
  log TEXT NOT NULL,             -- 'kerberos' | 'ntlm' | 'ssh'
  uid TEXT,
  orig_ip TEXT,
  orig_port INTEGER,
  resp_ip TEXT,
  resp_port INTEGER,
  request_type TEXT,             -- kerberos AS / TGS
  client TEXT,                   -- kerberos client, ntlm DOMAIN\user, ssh user when logged
  service TEXT,                  -- kerberos service principal, ntlm server name
  workstation TEXT,              -- ntlm hostname
  success INTEGER,
  account_id INTEGER REFERENCES accounts(id) -- the client account (kerberos realm's first label as domain)
);
CREATE INDEX net_auth_orig ON net_auth(orig_ip, ts);
-- Other flow-level records worth a column: dce_rpc (name = endpoint, detail = operation),
-- smb_mapping (name = share path, detail = share type), dns (name = query, detail = answers).
CREATE TABLE net_activity(
  id INTEGER PRIMARY KEY,
  event INTEGER NOT NULL REFERENCES events(id),
  ts INTEGER,
  log TEXT NOT NULL,
  uid TEXT,
  orig_ip TEXT,
  orig_port INTEGER,
  resp_ip TEXT,
  resp_port INTEGER,
  name TEXT,
  detail TEXT
);
CREATE INDEX net_activity_orig ON net_activity(orig_ip, ts);
)SQL";

// Version 4: host <-> address bindings you can trust (issue #10). Two hosts holding one address
// at overlapping times are recorded with both bindings (derived by inference, rebuilt each run).
// The step also re-derives the Sysmon 3 bindings of existing cases from net_connections: older
// builds gave the remote end of swapped inbound records (dns.exe on 53, NetBIOS 137 -> 137) to
// the logging host.
const char *const kSchemaV4 = R"SQL(
CREATE TABLE address_conflicts(
  address TEXT NOT NULL,
  binding_a INTEGER NOT NULL REFERENCES host_addresses(id), -- the lower host id
  binding_b INTEGER NOT NULL REFERENCES host_addresses(id),
  first_ts INTEGER,                                         -- the overlap of the two intervals
  last_ts INTEGER,
  PRIMARY KEY(binding_a, binding_b)
) WITHOUT ROWID;
CREATE INDEX address_conflicts_b ON address_conflicts(binding_b);
)SQL";

// Version 5: full-text search over events (issue 11, docs/event-search.md). A contentless FTS5
// table with the trigram tokenizer (substrings of paths and command lines, case-insensitive) over a
// compact search text per event (host, account, channel and the fields that say what happened),
// not the raw record. Its rowid is store::searchKey(ts, id): time order to the second, so a search
// streams hits in time order and stops at a page. It is filled after import, in the background
// (store/SearchIndex.h: case_info 'search_indexed_through' is the last event id indexed).
const char *const kSchemaV5 = R"SQL(
CREATE VIRTUAL TABLE events_fts USING fts5(text, content='', tokenize='trigram', columnsize=0);
)SQL";

// Version 6: records compressed in blocks (issue 12, store/RecordBlocks.h). The payloads of
// consecutive records of one source are packed into zstd blocks (with a dictionary trained per
// source format and channel, record_dicts); an events row keeps only where its payload is.
// Older cases: packLegacyPayloads() moves every payload into blocks, then the columns go.
const char *const kSchemaV6 = R"SQL(
CREATE TABLE IF NOT EXISTS record_dicts(
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,      -- 'source format|channel of the first record', e.g. 'jsonl|Security'
  data BLOB NOT NULL             -- a zstd dictionary
);
CREATE TABLE IF NOT EXISTS record_blocks(
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  dict_id INTEGER REFERENCES record_dicts(id),
  records INTEGER NOT NULL,
  raw_bytes INTEGER NOT NULL,    -- decompressed size (header + payloads)
  data BLOB NOT NULL             -- one zstd frame
);
)SQL";
// The events columns of schema 6, added while events still has its payload column (a case that
// has them already, e.g. a test re-running the step on a current file, is left as it is).
const char *const kEventsBlockColumns = R"SQL(
ALTER TABLE events ADD COLUMN block_id INTEGER REFERENCES record_blocks(id);
ALTER TABLE events ADD COLUMN block_index INTEGER;
)SQL";

// Schema 6 on an older case: every events row's payload (raw or zstd, store/PayloadCodec) goes
// into the blocks of its source, in id order, then the payload columns are dropped. A payload
// that does not decode is kept as it was stored, with a warning in import_issues: nothing is lost.
void packLegacyPayloads(sql::Db &db)
{
    RecordBlockWriter writer(db);
    PayloadCodec codec;
    auto read
        = db.prepare("SELECT e.id, e.source_id, coalesce(s.format, ''), coalesce(c.name, ''), e.payload_codec, "
                     "e.payload, e.position FROM events e LEFT JOIN sources s ON s.id = e.source_id "
                     "LEFT JOIN channels c ON c.id = e.channel_id ORDER BY e.id"); // a source's ids are contiguous
    auto set = db.prepare("UPDATE events SET block_id = ?, block_index = ? WHERE id = ?");
    auto issue
        = db.prepare("INSERT INTO import_issues(source_id, position, severity, message) VALUES(?,?,'warning',?)");
    int64_t source = -1;
    std::string text;
    while (read.step()) {
        if (read.int64(1) != source) {
            if (source >= 0)
                writer.finish();
            source = read.int64(1);
            writer.begin(source, read.textView(2));
        }
        const std::string_view blob = read.blob(5);
        std::string_view payload = blob;
        if (codec.decode(read.integer(4), blob, text)) {
            payload = text;
        } else {
            issue.bind(1, source).bind(2, read.int64(6));
            issue.bind(3,
                "event " + std::to_string(read.int64(0)) + ": the stored payload was corrupt (" + text
                    + ") before the move to compressed blocks; kept as stored");
            issue.exec();
        }
        const RecordRef ref = writer.add(payload, read.textView(3));
        set.bind(1, ref.block).bind(2, ref.index).bind(3, read.int64(0));
        set.exec();
    }
    if (source >= 0)
        writer.finish();
}

// Version 7 (issue 14; version 6 is the "compact" step of the same round): cloud-synced folder
// transfers and benign deployment tools. The method CHECK gains 'cloud-sync' (a CHECK cannot be
// altered in place: the derived rows are copied as in version 2), and two nullable columns say
// that a transfer is a benign-admin candidate: benign_tool ('sccm', 'pdq', 'gpo', 'intune',
// 'ansible', 'salt', 'puppet', 'chef') and benign_reason (what recognised it). NULL: not
// recognised. Existing rows keep their values; the next inference fills the new columns.
const char *const kSchemaV7 = R"SQL(
CREATE TABLE transfers_v7(
  id INTEGER PRIMARY KEY,
  src_host_id INTEGER REFERENCES hosts(id),
  src_ip TEXT,
  dst_host_id INTEGER NOT NULL REFERENCES hosts(id),
  file_name TEXT NOT NULL,
  dst_path TEXT,
  src_path TEXT,
  method TEXT NOT NULL CHECK(method IN ('smb-admin-share','smb-share','psexec-service-binary','rdp-tsclient',
                                        'scp','sftp','rsync','ftp','http','cloud-sync','other')),
  direction TEXT NOT NULL CHECK(direction IN ('push','pull')),
  account_id INTEGER REFERENCES accounts(id),
  src_process_id INTEGER REFERENCES processes(id),
  dst_process_id INTEGER REFERENCES processes(id),
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  confidence REAL NOT NULL CHECK(confidence >= 0 AND confidence <= 1),
  confidence_label TEXT NOT NULL CHECK(confidence_label IN ('high','medium','low')),
  executed INTEGER NOT NULL DEFAULT 0,
  hashes TEXT,
  rules TEXT NOT NULL,
  key TEXT,
  benign_tool TEXT,
  benign_reason TEXT
);
INSERT INTO transfers_v7(id, src_host_id, src_ip, dst_host_id, file_name, dst_path, src_path, method, direction,
  account_id, src_process_id, dst_process_id, first_ts, last_ts, confidence, confidence_label, executed, hashes, rules,
  key)
  SELECT id, src_host_id, src_ip, dst_host_id, file_name, dst_path, src_path, method, direction, account_id,
  src_process_id, dst_process_id, first_ts, last_ts, confidence, confidence_label, executed, hashes, rules, key
  FROM transfers;
DROP TABLE transfers;
ALTER TABLE transfers_v7 RENAME TO transfers;
CREATE INDEX transfers_src ON transfers(src_host_id, first_ts);
CREATE INDEX transfers_dst ON transfers(dst_host_id, first_ts);
CREATE INDEX transfers_account ON transfers(account_id, first_ts);
CREATE INDEX transfers_ts ON transfers(first_ts);
CREATE INDEX transfers_key ON transfers(key);
)SQL";

// Version 8 (issue 14, what is left): PowerShell remoting / WinRM copies get their own method
// 'winrm' (stored as 'other' up to version 7) and AirDrop receipts on macOS method 'airdrop'. The
// CHECK is rebuilt as in version 7; rows that the remoting rules (winrm-write, ps-remoting-copy)
// found and stored as 'other' become 'winrm' (rules is the sorted, comma-separated rule list).
const char *const kSchemaV8 = R"SQL(
CREATE TABLE transfers_v8(
  id INTEGER PRIMARY KEY,
  src_host_id INTEGER REFERENCES hosts(id),
  src_ip TEXT,
  dst_host_id INTEGER NOT NULL REFERENCES hosts(id),
  file_name TEXT NOT NULL,
  dst_path TEXT,
  src_path TEXT,
  method TEXT NOT NULL CHECK(method IN ('smb-admin-share','smb-share','psexec-service-binary','rdp-tsclient',
                                        'scp','sftp','rsync','ftp','http','cloud-sync','winrm','airdrop','other')),
  direction TEXT NOT NULL CHECK(direction IN ('push','pull')),
  account_id INTEGER REFERENCES accounts(id),
  src_process_id INTEGER REFERENCES processes(id),
  dst_process_id INTEGER REFERENCES processes(id),
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  confidence REAL NOT NULL CHECK(confidence >= 0 AND confidence <= 1),
  confidence_label TEXT NOT NULL CHECK(confidence_label IN ('high','medium','low')),
  executed INTEGER NOT NULL DEFAULT 0,
  hashes TEXT,
  rules TEXT NOT NULL,
  key TEXT,
  benign_tool TEXT,
  benign_reason TEXT
);
INSERT INTO transfers_v8(id, src_host_id, src_ip, dst_host_id, file_name, dst_path, src_path, method, direction,
  account_id, src_process_id, dst_process_id, first_ts, last_ts, confidence, confidence_label, executed, hashes, rules,
  key, benign_tool, benign_reason)
  SELECT id, src_host_id, src_ip, dst_host_id, file_name, dst_path, src_path,
  CASE WHEN method = 'other' AND (',' || rules || ',' LIKE '%,winrm-write,%'
                                  OR ',' || rules || ',' LIKE '%,ps-remoting-copy,%') THEN 'winrm' ELSE method END,
  direction, account_id, src_process_id, dst_process_id, first_ts, last_ts, confidence, confidence_label, executed,
  hashes, rules, key, benign_tool, benign_reason
  FROM transfers;
DROP TABLE transfers;
ALTER TABLE transfers_v8 RENAME TO transfers;
CREATE INDEX transfers_src ON transfers(src_host_id, first_ts);
CREATE INDEX transfers_dst ON transfers(dst_host_id, first_ts);
CREATE INDEX transfers_account ON transfers(account_id, first_ts);
CREATE INDEX transfers_ts ON transfers(first_ts);
CREATE INDEX transfers_key ON transfers(key);
)SQL";

// Version 9 (issue 12 item 5): the analyst's named host groups. Members are host names (hosts.name, the key annotations
// use: stable across re-import); a host is in at most one named group, automatic grouping (subnet / domain) applies to
// the others. IF NOT EXISTS: tests re-run the later steps on a current file with its version rows deleted.
const char *const kSchemaV9 = R"SQL(
CREATE TABLE IF NOT EXISTS host_groups(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_utc INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS host_group_members(
  host_name TEXT NOT NULL PRIMARY KEY,
  group_id INTEGER NOT NULL REFERENCES host_groups(id)
);
CREATE INDEX IF NOT EXISTS host_group_members_group ON host_group_members(group_id);
)SQL";

// Version 12 (issue 12 item 5, the timeline at 10 M events and more): event counts per minute
// (whole case) and per hour and host, kept by the writer with each file (store/EventDensity.h), so
// the timeline's density reads a few thousand summary rows instead of counting every event of the
// window. migrate() fills them from the events of an older case.
const char *const kSchemaV12 = R"SQL(
CREATE TABLE IF NOT EXISTS event_minutes(
  minute INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY(minute)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS host_event_hours(
  host_id INTEGER NOT NULL REFERENCES hosts(id),
  hour INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY(host_id, hour)
) WITHOUT ROWID;
)SQL";

// Version 13 (issue 10 item 2, older cases): no new table. A host's Sysmon 3 address bindings are
// runs of sightings since 2026-12-02 (a VPN or DHCP address held again days later is another
// binding); cases imported before hold one binding per host, address and source over all its
// days. migrate() (and a server case's upgrade) re-derives them from net_connections as a new
// import cuts them (store/AddressBindings.h), drops the address conflicts and marks inference
// pending.
const char *const kSchemaV13 = R"SQL(
SELECT 1;
)SQL";

// Version 14 (issue 10, 2026-12-03): Sysmon 7 records whose ImageLoaded is a UNC path are
// normalised as file_events of kind 'image-load' (rule remote-image); migrate() re-reads the stored
// Sysmon 7 records of an older case for them (store/ImageLoadBackfill.h) and marks inference
// pending when it finds any.
const char *const kSchemaV14 = R"SQL(
SELECT 1;
)SQL";

// Version 11 (issue 12 item 2, a compact case): narrower processes rows.
// - Sysmon's Hashes field ("SHA1=..,MD5=..,SHA256=..,IMPHASH=..", ~200 bytes, the widest string of a
//   row) is stored once per distinct value in process_hashes; processes.hashes_id points at it (1 M
//   generated events: 185 854 rows, 47 distinct values, 36 MB -> ~10 KB).
// - parent_command_line and integrity go: nothing reads them (the record keeps both, byte-exact).
// - Secondary indexes nothing queries go (processes(image), processes(parent_image),
//   processes(account_id, start_ts), file_events(path): every query of models/query and the
//   inference repository checked with EXPLAIN QUERY PLAN, BENCHMARKS.md), and two become partial
//   under new names (events(account_id, ts) and processes(parent_guid) without their NULL keys: the
//   queries compare the column with a value, which implies NOT NULL). migrate() builds the renamed
//   ones on an older case (kBulkIndexes is the definition) unless a bulk import deferred them.
// The step's SQL is idempotent (tests re-run the later steps on a current file); the processes
// columns change in kProcessesV11, run by migrate() only while processes still has `hashes`.
const char *const kSchemaV11 = R"SQL(
CREATE TABLE IF NOT EXISTS process_hashes(
  id INTEGER PRIMARY KEY,
  hashes TEXT NOT NULL UNIQUE
);
DROP INDEX IF EXISTS processes_image;
DROP INDEX IF EXISTS processes_parent_image;
DROP INDEX IF EXISTS processes_account;
DROP INDEX IF EXISTS file_events_path;
DROP INDEX IF EXISTS events_account;
DROP INDEX IF EXISTS processes_parent_guid;
DELETE FROM deferred_indexes WHERE name IN ('processes_image', 'processes_parent_image', 'processes_account',
  'file_events_path');
UPDATE deferred_indexes SET name = 'events_account_known' WHERE name = 'events_account';
UPDATE deferred_indexes SET name = 'processes_parent_guid_known' WHERE name = 'processes_parent_guid';
)SQL";
const char *const kProcessesV11 = R"SQL(
ALTER TABLE processes ADD COLUMN hashes_id INTEGER REFERENCES process_hashes(id);
INSERT INTO process_hashes(hashes) SELECT DISTINCT hashes FROM processes WHERE hashes IS NOT NULL ORDER BY hashes;
UPDATE processes SET hashes_id = (SELECT ph.id FROM process_hashes ph WHERE ph.hashes = processes.hashes)
  WHERE hashes IS NOT NULL;
ALTER TABLE processes DROP COLUMN hashes;
ALTER TABLE processes DROP COLUMN parent_command_line;
ALTER TABLE processes DROP COLUMN integrity;
)SQL";

// Version 10 (issue 13 item 3, several analysts at once): annotations.version (added by migrate(),
// below, when missing: ALTER TABLE has no IF NOT EXISTS) counts the writes of an annotation, so
// an edit made from a stale state is noticed (compare-and-set); the losing side of a conflicting
// note edit is kept here as a conflict copy, shown in the notes panel, never dropped.
const char *const kSchemaV10 = R"SQL(
CREATE TABLE IF NOT EXISTS annotation_conflicts(
  id INTEGER PRIMARY KEY,
  target_kind TEXT NOT NULL,
  target_key TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  note_format TEXT NOT NULL DEFAULT 'plain',
  bookmarked INTEGER NOT NULL DEFAULT 0,
  tag_ids TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  base_version INTEGER NOT NULL,
  created_utc INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS annotation_conflicts_target ON annotation_conflicts(target_kind, target_key);
)SQL";

const char *const kAnnotationsVersionColumn = "ALTER TABLE annotations ADD COLUMN version INTEGER NOT NULL DEFAULT 1";

// Secondary indexes of the big tables. Created with the schema; a large import drops them and
// rebuilds them once at the end (sorting once beats updating B-trees per row). The writer's own
// look-ups (logon ids, process GUIDs / PIDs) keep their indexes and are not listed here.
const BulkIndex kBulkIndexes[] = {
    {"events_host_ts", "events(host_id, ts)"},
    {"events_ts", "events(ts)"},
    {"events_account_known", "events(account_id, ts) WHERE account_id IS NOT NULL"},
    {"logon_sessions_account", "logon_sessions(account_id, ts)"},
    {"logon_sessions_ip", "logon_sessions(source_ip, ts)"},
    {"explicit_logons_host", "explicit_logons(host_id, ts)"},
    {"processes_parent_guid_known", "processes(parent_guid) WHERE parent_guid IS NOT NULL"},
    {"processes_event", "processes(event)"},
    {"file_events_host_ts", "file_events(host_id, ts)"},
    {"net_connections_host_ts", "net_connections(host_id, ts)"},
    {"net_connections_dst", "net_connections(dst_ip, dst_port, ts)"},
    {"net_connections_src", "net_connections(src_ip, ts)"},
    {"share_accesses_host_ts", "share_accesses(host_id, ts)"},
    {"share_accesses_ip", "share_accesses(src_ip, ts)"},
    {"service_installs_host_ts", "service_installs(host_id, ts)"},
    {"dns_queries_host_ts", "dns_queries(host_id, ts)"},
};

const SchemaStep kSteps[] = {
    {1, kSchemaV1},
    {2, kSchemaV2},
    {3, kSchemaV3},
    {4, kSchemaV4},
    {5, kSchemaV5},
    {6, kSchemaV6},
    {7, kSchemaV7},
    {8, kSchemaV8},
    {9, kSchemaV9},
    {10, kSchemaV10},
    {11, kSchemaV11},
    {12, kSchemaV12},
    {13, kSchemaV13},
    {14, kSchemaV14},
};

bool tableExists(sql::Db &db, const char *name)
{
    return hasTable(db, name);
}

// Every table of the case (SQLite: every object).
int64_t objectCount(sql::Db &db)
{
    if (db.isPostgres())
        return db.queryInt("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()");
    return db.queryInt("SELECT count(*) FROM sqlite_schema");
}

} // namespace

std::span<const BulkIndex> bulkIndexes()
{
    return kBulkIndexes;
}

const char *annotationsVersionColumnSql()
{
    return kAnnotationsVersionColumn;
}

const char *eventsBlockColumnsSql()
{
    return kEventsBlockColumns;
}

const char *processesV11Sql()
{
    return kProcessesV11;
}

std::span<const SchemaStep> schemaSteps()
{
    return kSteps;
}

bool hasTable(sql::Db &db, std::string_view name)
{
    auto st = db.prepare(db.isPostgres() ? "SELECT 1 FROM information_schema.tables WHERE table_schema = "
                                           "current_schema() AND table_name = ?"
                                         : "SELECT 1 FROM sqlite_schema WHERE type='table' AND name=?");
    st.bind(1, name);
    return st.step();
}

int schemaVersion(sql::Db &db)
{
    if (!tableExists(db, "schema_version")) {
        if (objectCount(db) > 0)
            throw std::runtime_error("not a TransferTrace case file (it has tables but no schema_version)");
        return 0;
    }
    return static_cast<int>(db.queryInt("SELECT max(version) FROM schema_version", 0));
}

void migrate(sql::Db &db, const std::string &appVersion)
{
    const int current = schemaVersion(db);
    if (current > kSchemaVersion)
        throw std::runtime_error("this case file has schema version " + std::to_string(current)
            + ", newer than version " + std::to_string(kSchemaVersion)
            + " that this TransferTrace understands; open it with a newer TransferTrace");
    for (const SchemaStep &step : kSteps) {
        if (step.version <= current)
            continue;
        sql::Transaction tx(db);
        db.exec(step.sql);
        if (step.version == 1)
            for (const BulkIndex &ix : kBulkIndexes)
                db.exec(std::string("CREATE INDEX ") + ix.name + " ON " + ix.on);
        if (step.version == 2)
            db.exec(std::string("UPDATE transfers SET key = ") + kTransferKeySql);
        if (step.version == 6
            && db.queryInt("SELECT count(*) FROM pragma_table_info('events') WHERE name = 'payload'") > 0) {
            db.exec(kEventsBlockColumns);
            if (current > 0)
                packLegacyPayloads(db);
            db.exec("ALTER TABLE events DROP COLUMN payload; ALTER TABLE events DROP COLUMN payload_codec;");
        }
        if (step.version == 11) {
            if (db.queryInt("SELECT count(*) FROM pragma_table_info('processes') WHERE name = 'hashes'") > 0)
                db.exec(kProcessesV11);
            // The renamed (partial) indexes of an older case, unless a bulk import deferred them.
            if (current > 0)
                for (const BulkIndex &ix : kBulkIndexes) {
                    auto deferred = db.prepare("SELECT 1 FROM deferred_indexes WHERE name = ?");
                    deferred.bind(1, std::string_view(ix.name));
                    if (!deferred.step())
                        db.exec(std::string("CREATE INDEX IF NOT EXISTS ") + ix.name + " ON " + ix.on);
                }
        }
        if (step.version == 12 && current > 0)
            fillEventDensity(db);
        if (step.version == 13 && current > 0)
            rebuildSysmonBindings(db);
        if (step.version == 14 && current > 0)
            backfillImageLoads(db);
        if (step.version == 10
            && db.queryInt("SELECT count(*) FROM pragma_table_info('annotations') WHERE name = 'version'") == 0)
            db.exec(kAnnotationsVersionColumn);
        auto ins = db.prepare("INSERT INTO schema_version(version, applied_utc, app_version) VALUES(?,?,?)");
        ins.bind(1, step.version).bind(2, static_cast<int64_t>(std::time(nullptr))).bind(3, appVersion);
        ins.exec();
        tx.commit();
    }
    // Give the freed pages back: the payloads moved into blocks at version 6 (the file shrinks
    // ~3-4x), version 11 dropped processes columns and indexes (a 1 M-event case 560 -> 447 MB,
    // 1.6 s CPU). The copy VACUUM makes goes to a temporary file, not memory (temp_store=MEMORY
    // would hold the whole case in RAM).
    if (current > 0 && current < 11) {
        const int64_t tempStore = db.queryInt("PRAGMA temp_store");
        db.exec("PRAGMA temp_store=FILE");
        db.exec("VACUUM");
        db.exec("PRAGMA temp_store=" + std::to_string(tempStore));
    }
}

void dropBulkIndexes(sql::Db &db)
{
    sql::Transaction tx(db);
    lockCaseWriters(db); // a server case: never between another session's file and its indexes
    auto note = db.prepare("INSERT INTO deferred_indexes(name) VALUES(?) ON CONFLICT DO NOTHING");
    for (const BulkIndex &ix : kBulkIndexes) {
        note.bind(1, std::string_view(ix.name));
        note.exec();
        db.exec(std::string("DROP INDEX IF EXISTS ") + ix.name);
    }
    tx.commit();
}

int restoreBulkIndexes(sql::Db &db)
{
    sql::Transaction tx(db);
    lockCaseWriters(db);
    int rebuilt = 0;
    std::vector<std::string> pending;
    {
        auto st = db.prepare("SELECT name FROM deferred_indexes");
        while (st.step())
            pending.push_back(st.text(0));
    }
    for (const std::string &name : pending) {
        for (const BulkIndex &ix : kBulkIndexes) {
            if (name == ix.name) { // only names this build knows; DDL from the code
                db.exec(std::string("CREATE INDEX IF NOT EXISTS ") + ix.name + " ON " + ix.on);
                ++rebuilt;
            }
        }
    }
    db.exec("DELETE FROM deferred_indexes");
    tx.commit();
    return rebuilt;
}

int pendingBulkIndexes(sql::Db &db)
{
    return static_cast<int>(db.queryInt("SELECT count(*) FROM deferred_indexes"));
}

} // namespace tt::store
