#pragma once

#include "inference/Rule.h"

#include <cstdint>
#include <string>

namespace tt::store {
struct FileCreateInfo;
struct ProcessInfo;
} // namespace tt::store

namespace tt::inference {

using store::FileCreateInfo;
using store::ProcessInfo;

// Rule "rdp-redirection": files crossing an RDP session through drive redirection (\\tsclient\X
// is the client's drive X as seen from the server).
// - on the RDP server: a process started from \\tsclient\... (the client's bytes run there), a
//   command copying from \\tsclient\... (pull) or to \\tsclient\... (push), a Sysmon 11 whose
//   target is \\tsclient\... (push to the client);
// - on the RDP client: Sysmon 11 by mstsc.exe (the server writing into the client's drive).
// The peer is the session's other end: the RDP logon of the process's logon id, else the latest
// inbound 3389 connection / RDP logon (server side) or mstsc's outbound 3389 (client side).
class RdpRedirectionRule : public Rule {
public:
    const char *name() const override { return "rdp-redirection"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;
    // Whether p touches the client's drive (runs from \\tsclient\ or names it in its command line):
    // the only processes the rule reads (ProcessRows marker kClientDrive).
    static bool touchesClientDrive(const ProcessInfo &p);
    // A file create the rule looks at: to \\tsclient\... or by mstsc.exe (a file marker).
    static bool mayCrossDrive(const FileCreateInfo &f);

private:
    struct Peer {
        std::string ip;
        int64_t event = 0;
        int64_t source = 0;
    };
    Peer serverPeer(RuleContext &ctx, int64_t host, int64_t ts, const std::string &logonId, int64_t account) const;
    Peer clientPeer(RuleContext &ctx, int64_t host, int64_t ts, const std::string &guid) const;
    void fromProcess(RuleContext &ctx, const ProcessInfo &p, std::vector<Candidate> &out);
};

} // namespace tt::inference
