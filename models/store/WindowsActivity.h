#pragma once

// Rows the Windows remote-execution rules read that no normalised table holds as they need
// them (issue 14 item 4): 5145 reads (output files read back over a share), BITS jobs
// (Bits-Client/Operational 3 / 59 / 60, whose url / jobId live only in the event payload) and
// PowerShell script blocks (4104 ScriptBlockText). Read-only; rows without a time are left out.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tt::sql {
class Db;
}

namespace tt::store {

// A 5145 that asked for ReadData (mask bit 0x1 / %%4416) and no write.
struct ShareReadRow {
    int64_t id = 0, event = 0, host = 0, source = 0, ts = 0;
    std::string share, sharePath, rel, ip, logonId;
    int64_t port = -1, account = 0, mask = 0;
};

// One Bits-Client/Operational record: 3 (job created: jobTitle, jobId, jobOwner, processPath),
// 59 / 60 (transfer started / stopped: name, Id = the job id, url, bytesTotal, bytesTransferred).
struct BitsJobRow {
    int64_t event = 0, host = 0, source = 0, ts = 0;
    int eventId = 0;
    int64_t account = 0; // events.account_id: the job owner (importers/core Normalizer)
    std::string jobId, title, url, processPath;
    int64_t bytesTotal = -1, bytesTransferred = -1;
};

// A PowerShell/Operational 4104 record's ScriptBlockText.
struct ScriptBlockRow {
    int64_t event = 0, host = 0, source = 0, ts = 0;
    int eventId = 0;
    int64_t account = 0;
    std::string text;
};

// PowerShell remoting records besides the script blocks: PowerShell/Operational 4103 (module
// logging: one command's invocation and parameter bindings, kept only for Copy-Item with a
// -ToSession / -FromSession binding and New-PSSession) and WinRM/Operational 6 (client: "Creating
// WSMan Session", connection string), 91 (server: "Creating WSMan shell", resource URI) and 142
// (client or server: an operation failed).
struct RemotingRow {
    int64_t event = 0, host = 0, source = 0, ts = 0;
    int eventId = 0; // 4103, 6, 91, 142
    int64_t account = 0;
    // 4103 Payload; 6 connection; 91 resourceUri (or the shell id field when that is all there is);
    // 142 operationName.
    std::string text;
    std::string runspace; // 4103 ContextInfo "Runspace ID"
    std::string hostApplication; // 4103 ContextInfo "Host Application"
};

// A Security 4698 (scheduled task created): who created it and what it runs.
struct ScheduledTaskRow {
    int64_t event = 0, host = 0, source = 0, ts = 0;
    int64_t account = 0; // the creator (Subject)
    std::string taskName, logonId; // SubjectLogonId as the normaliser writes logon ids ("0x5a419bc")
    std::vector<std::string> actions; // each Exec action: "Command Arguments" as in TaskContent
};

std::vector<ShareReadRow> loadShareReads(sql::Db &db);
std::vector<ScheduledTaskRow> loadScheduledTasks(sql::Db &db);
std::vector<BitsJobRow> loadBitsJobs(sql::Db &db);
std::vector<ScriptBlockRow> loadScriptBlocks(sql::Db &db);
std::vector<RemotingRow> loadRemotingRecords(sql::Db &db);

// The value of "Key = value" in a PowerShell ContextInfo block (4103 / 4104 ContextInfo); empty
// when absent.
std::string contextInfoValue(std::string_view contextInfo, std::string_view key);

// The value of event-data field `name` in a stored payload (format 1 rendered JSON, 2 original
// JSON line, 3 original XML; see docs/record-conventions.md); empty when absent.
std::string payloadField(int format, std::string_view payload, std::string_view name);

} // namespace tt::store
