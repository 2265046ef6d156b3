#pragma once

#include "inference/Rule.h"

namespace tt::store {
struct ProcessInfo;
} // namespace tt::store

namespace tt::inference {

using store::ProcessInfo;

// Rule "remote-image": code run straight from another machine's share. Windows maps an image
// (a program or a DLL) from a UNC path through the SMB redirector (WebDAV for \\host@SSL\...), so
// its bytes crossed the network although no copy lands on the destination's disk:
// - a module loaded from a share (Sysmon 7 with ImageLoaded \\host\share\..., e.g. lsass loading
//   an NTDS extension DLL planted on an attacker's share, or rundll32 \\host\share\x.dll);
// - a process started from a share (Sysmon 1 / 4688 with Image \\host\share\x.exe).
// A pull: source = the host named in the path (an address-only host when it is an address),
// destination = the loader's host, the loading process as the destination process, executed.
// Loopback and self names, \\tsclient (rule "rdp-tsclient"), hypervisor shared folders (\\VBOXSVR,
// \\vmware-host: the VM's own host, not the network), IPC$ and the SYSVOL / NETLOGON
// upkeep shares (named after the domain, not a host) stay out. Loads of one path by one host within
// the session gap are one transfer.
class RemoteImageRule : public Rule {
public:
    const char *name() const override { return "remote-image"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;

    // The process marker: its image is a UNC path other than \\tsclient (ProcessRows::kUncImage).
    static bool startsFromShare(const ProcessInfo &p);
};

} // namespace tt::inference
