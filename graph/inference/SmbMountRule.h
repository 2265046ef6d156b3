#pragma once

#include "inference/Rule.h"

#include <string_view>

namespace tt::inference {

// Rule "smb-mount" (macOS, issue 14 item 1): files crossing an SMB volume a Mac mounted. eslogger
// `mount` of an smbfs volume (statfs f_mntfromname "//[user@]server/share", f_mntonname
// "/Volumes/share") on the Mac, until its `unmount`; then
// - a file the Mac creates (or renames into place) under the mount point: a push from the Mac to
//   the server (the Mac wrote it);
// - a file the Mac creates outside the mount by a process whose command line names a file of the
//   same name under the mount point (`cp /Volumes/share/x.pkg ~/`, `ditto`, `rsync`, `mv`): a pull
//   from the server to the Mac.
// What macOS writes on every SMB volume for itself (`.DS_Store`, AppleDouble `._name`,
// `.TemporaryItems`, `.Trashes`, `.Spotlight-V100`, `.fseventsd`) is no transfer.
class SmbMountRule : public Rule {
public:
    const char *name() const override { return "smb-mount"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;

    // Files the Finder / the SMB client write on a mounted volume by themselves.
    static bool volumeHousekeeping(std::string_view path);
};

} // namespace tt::inference
