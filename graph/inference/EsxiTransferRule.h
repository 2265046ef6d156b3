#pragma once

#include "inference/Rule.h"

#include <cstdint>

namespace tt::store {
struct FileCreateInfo;
struct LogonInfo;
} // namespace tt::store

namespace tt::inference {

using store::LogonInfo;
struct RuleContext;

// Rule "esxi": what only an ESXi host's own logs show (docs/inference.md, "ESXi").
// - Datastore uploads / downloads through hostd (the Host Client's datastore browser, the
//   `/folder/PATH?dcPath=..&dsName=..` HTTP service, govc / PowerCLI Copy-DatastoreItem): an
//   upload is a push into the host (method http, dst-create), a download a pull by the client
//   (src-read); the other end is the client address of the request, else the latest hostd login
//   (same account preferred) within 24 h.
// - A file that shows up in a drop folder (/tmp, /var/tmp, /scratch, /vmfs/volumes, /dev/shm) as
//   the program of a shell.log command or the target of `chmod +x`, which no earlier command on the
//   host named (no wget / curl / cp / esxcli fetched it, no upload or sftp write created it), after
//   an SSH login from elsewhere: pushed in over that SSH login (scp / sftp cannot be told apart on
//   the ESXi side, so method scp at the lowest rank; a source-side command names it exactly).
// wget / curl / `esxcli software vib install -d URL` pulls from internal hosts are found by the
// generic rule "source-command" on the shell.log process rows.
class EsxiTransferRule : public Rule {
public:
    const char *name() const override { return "esxi"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;
    // Sources known only by address get an (IP-only) host after the merge.
    void refine(RuleContext &ctx, std::vector<Candidate> &transfers) override;
    // A file create or read the datastore part looks at: logged by hostd (a file marker).
    static bool byHostd(const store::FileCreateInfo &f);

private:
    void datastore(RuleContext &ctx, std::vector<Candidate> &out);
    void landedOverSsh(RuleContext &ctx, std::vector<Candidate> &out);
    // The latest successful login of origin on host from another address in [ts - 24 h, ts + slack],
    // of account when one of it exists.
    static const LogonInfo *latestLogin(
        RuleContext &ctx, int64_t host, int64_t ts, const char *origin, int64_t account);
};

} // namespace tt::inference
