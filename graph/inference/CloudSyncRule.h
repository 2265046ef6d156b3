#pragma once

#include "inference/Rule.h"

namespace tt::store {
struct FileCreateInfo;
} // namespace tt::store

namespace tt::inference {

// Rule "cloud-sync": a file a person's process wrote into a cloud-synced folder (OneDrive,
// Dropbox, Google Drive, Box; SyncFolder) on one host, then created on another host by that
// provider's sync client, with the same file name, within the sync window (docs/inference.md).
// Sysmon 11 or 4663 writes at both ends; Sysmon 15 stream hashes, when logged, must agree
// (a different hash at both ends is a different file) and make the match strong.
class CloudSyncRule : public Rule {
public:
    const char *name() const override { return "cloud-sync"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;
    // A file create or write the rule looks at: inside a synced folder (a file marker).
    static bool inSyncedFolder(const store::FileCreateInfo &f);
};

} // namespace tt::inference
