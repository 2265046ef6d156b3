#pragma once

#include "inference/Rule.h"

namespace tt::store {
struct FileCreateInfo;
struct ProcessInfo;
} // namespace tt::store

namespace tt::inference {

using store::FileCreateInfo;
using store::ProcessInfo;

// Rule "system-write": Sysmon 11 by Image "System" / PID 4 (the SMB server writes received files
// as System) attributed to the inbound SMB session around it: a write-bit 5145 on the same path,
// else the latest remote session start (Sysmon 3 to 445, 4624 type 3, 5140) in the look-back.
// Not transfers: local ETW / registry log flushes (.etl, .blf, .regtrans-ms ...), writes through
// \\127.0.0.1\ or the host's own name (a local process names the file in a loopback UNC path, or
// a loopback SMB session is the nearest one). A System write with no session at all is kept as
// "needs corroboration" (a service install / start may still prove a remote drop).
// The same for a Mac serving SMB: Apple's SMB server is the user-space daemon /usr/sbin/smbd, so
// Endpoint Security reports the files it creates for a client (eslogger create / rename) with
// smbd as the process, as Sysmon reports System on Windows; method smb-share (a Mac has no admin
// shares), the Finder's own housekeeping files (.DS_Store, ._name, .TemporaryItems/) left out.
class SystemWriteRule : public Rule {
public:
    const char *name() const override { return "system-write"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;

    static bool isSystemWriter(const FileCreateInfo &f);
    static bool isMacSmbServer(const FileCreateInfo &f);
    static bool isLocalNoise(const std::string &path);
    // Whether p's command line names a UNC path (\\...): only those can write through loopback
    // (ProcessRows marker kUncCommand).
    static bool namesUncPath(const ProcessInfo &p);

private:
    bool writtenThroughLoopback(RuleContext &ctx, const FileCreateInfo &f) const;
};

} // namespace tt::inference
