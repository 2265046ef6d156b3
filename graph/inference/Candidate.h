#pragma once

// What a rule claims: one file crossing from a source to a destination, with the events that
// show it. TransferMerger folds candidates from both ends into transfers.

#include <cstdint>
#include <string>
#include <vector>

namespace tt::inference {

enum class Method {
    SmbAdminShare,
    SmbShare,
    PsexecServiceBinary,
    RdpTsclient,
    Other,
    Ftp,
    Http,
    Scp,
    Sftp,
    Rsync,
    CloudSync,
    Winrm, // PowerShell remoting / WinRM (Copy-Item -ToSession / -FromSession, wsmprovhost.exe writes)
    Airdrop // macOS AirDrop (sharingd)
};
enum class Direction { Push, Pull };

const char *methodName(Method m);
const char *directionName(Direction d);

// Evidence roles. The role, not the rule, decides how much an event adds to confidence: two
// rules citing the same kind of fact are not independent corroboration.
namespace role {
inline constexpr const char *kDstWrite = "dst-write"; // 5145 with WriteData / AppendData
inline constexpr const char *kDstCreate = "dst-create"; // Sysmon 11 file create on the destination
// The RDP client (mstsc.exe) wrote a file outside its own settings / cache: the server sent it into
// the client's redirected drive. The record of the arrival itself, like a 5145 write.
inline constexpr const char *kDstRedirectWrite = "dst-redirect-write";
inline constexpr const char *kDstLogon = "dst-logon"; // 4624 of the writing session
inline constexpr const char *kDstShare = "dst-share"; // 5140 share opened by the session
inline constexpr const char *kDstConnect = "dst-connect"; // Sysmon 3 inbound on the destination
inline constexpr const char *kSrcConnect = "src-connect"; // Sysmon 3 outbound on the source (same port)
inline constexpr const char *kSrcCommand = "src-command"; // command line that moves the file
inline constexpr const char *kSrcFile = "src-file"; // the file created on the source beforehand
inline constexpr const char *kSrcRead = "src-read"; // the server logged sending the whole file (pull)
// The file is a remote-execution tool's output on the source: a command there redirected into it
// (`cmd /c ... 1> \\127.0.0.1\ADMIN$\__N`), a loopback share write created it, or its name is the
// tool's fixed one (Impacket `__output`, `Temp\<8 letters>.tmp`, `__<epoch>`).
inline constexpr const char *kSrcOutput = "src-output";
inline constexpr const char *kSrcParent = "src-parent"; // ancestors of the source command's process
inline constexpr const char *kDstCommand = "dst-command"; // command on the destination that fetched the file
inline constexpr const char *kDstParent = "dst-parent"; // ancestors of that process
inline constexpr const char *kDstService = "dst-service"; // 7045 / 4697 or svcctl pointing at the file
// A scheduled task (4698) created by the writing session runs the file (atexec-style launch of a drop).
inline constexpr const char *kDstTask = "dst-task";
// The service's binary lies where remote service tools copy theirs (ADMIN$ / drive share root, not
// a Windows binary): the install itself shows that the file arrived.
inline constexpr const char *kDstDropSite = "dst-drop-site";
inline constexpr const char *kDstExec = "dst-exec"; // the file runs on the destination
// A process on the destination mapped the file as a module straight from the source's share
// (Sysmon 7 with a UNC ImageLoaded): its bytes crossed, no copy landed on disk.
inline constexpr const char *kDstImageLoad = "dst-image-load";
inline constexpr const char *kRdpSession = "rdp-session"; // the RDP logon / connection of the peer
inline constexpr const char *kNetWrite
    = "net-write"; // a sensor saw the file written (smb_files, files, ftp STOR, http PUT)
// a sensor saw the server send the whole file to the client at its request (pull: smb_files
// FILE_READ, ftp RETR, http GET of an executable / archive)
inline constexpr const char *kNetRead = "net-read";
inline constexpr const char *kNetVolume = "net-volume"; // a sensor saw bulk client->server bytes on SMB (conn.log)
inline constexpr const char *kNetAuth
    = "net-auth"; // the source's ticket / login for the destination (kerberos cifs/, ntlm)
inline constexpr const char *kNetRelay
    = "net-relay"; // the same bytes reached the source just before (a download naming the file)
// Cloud-synced folders (CloudSyncRule): a person's process wrote the file into a synced folder on
// the source, the sync client created it on the destination; same path inside the synced folder;
// same content hash at both ends.
inline constexpr const char *kSrcSyncWrite = "src-sync-write";
inline constexpr const char *kDstSyncCreate = "dst-sync-create";
inline constexpr const char *kSyncPath = "sync-path";
inline constexpr const char *kSyncHash = "sync-hash";
} // namespace role

struct Evidence {
    int64_t event = 0;
    const char *role = "";
    const char *rule = "";
    bool operator<(const Evidence &o) const;
    bool operator==(const Evidence &o) const;
};

struct Candidate {
    int64_t srcHost = 0; // hosts.id, 0 unknown
    std::string srcIp; // normalised, empty unknown
    int64_t dstHost = 0; // hosts.id, always known
    std::string fileName; // as seen (case kept)
    std::string dstPath; // full path on the destination, empty when unknown
    std::string srcPath; // full path on the source, when known
    Method method = Method::Other;
    int methodRank = 0; // how sure the method is: 3 service evidence, 2 share / command named it, 1 default
    Direction direction = Direction::Push;
    int64_t account = 0; // canonical accounts.id
    // The account comes from the service install (its installer, or the session open at the
    // install), not from the write: the account of evidence of the write replaces it on merge.
    bool accountFromInstaller = false;
    int64_t srcProcess = 0; // processes.id
    int64_t dstProcess = 0;
    int64_t firstTs = 0; // first and last evidence time
    int64_t lastTs = 0;
    // When the write itself happened, as far as this evidence tells, on the clock of clockHost.
    int64_t lo = 0, hi = 0;
    int64_t clockHost = 0;
    std::string session; // destination logon id: writes of two sessions are two transfers
    std::string hashes;
    std::vector<Evidence> evidence;
    std::vector<std::string> rules;
    bool executed = false;
    // A System write with no inbound SMB to attribute it to: kept only if a service install or
    // start corroborates it (remote service binary drop with the source out of view).
    bool needsCorroboration = false;
    bool corroborated = false;
    // A benign deployment tool moved the file (DeploymentToolRule): its id ("sccm", "ansible" ...)
    // and what recognised it. A label for the analyst, never a reason to drop the transfer.
    std::string benignTool, benignReason;

    void addEvidence(int64_t event, const char *role, const char *rule);
    // One record at ts on clockHost's clock tells when the file moved, give or take slack.
    void seenAt(int64_t ts, int64_t clockHost, int64_t slack);
    void addRule(const std::string &rule);
};

} // namespace tt::inference
