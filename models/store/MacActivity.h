#pragma once

// macOS records the inference rules read that no normalised table holds (issue 14 item 1):
// eslogger `mount` / `unmount` events (kept as events only; the statfs of the mounted volume is
// in the stored original line). Read-only; rows without a time or host are left out.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tt::sql {
class Db;
}

namespace tt::store {

// One eslogger mount or unmount: `event.mount.statfs` / `event.unmount.statfs` (f_fstypename,
// f_mntonname, f_mntfromname) as EndpointSecurity reports the volume.
struct MountRow {
    int64_t event = 0, host = 0, source = 0, ts = 0;
    int64_t account = 0;
    bool unmount = false;
    std::string fstype; // "smbfs", "afpfs", "nfs", "apfs", ...
    std::string mountOn; // "/Volumes/share"
    std::string mountFrom; // "//alice@fileserver.corp.local/share"
};

std::vector<MountRow> loadMounts(sql::Db &db);

// One AirDrop ask that sharingd logged on the receiving Mac (unified log, process sharingd,
// subsystem com.apple.sharing): the AirDrop /Ask request's SenderComputerName, SenderID and the
// FileName of each item (keys of the AirDrop protocol; the message wording around them is not
// documented, see docs/inference.md "macOS specifics").
struct AirDropRow {
    int64_t event = 0, host = 0, source = 0, ts = 0;
    std::string sender; // SenderComputerName: "Bob's iPhone", "MAC-DSGN-02"
    std::string senderId; // SenderID (a short hash that changes over time)
    std::vector<std::string> files; // FileName of each item
};

std::vector<AirDropRow> loadAirDropAsks(sql::Db &db);
// The values of `KEY = VALUE;` pairs of an NSDictionary description (quoted or bare), in order.
std::vector<std::string> plistValues(std::string_view text, std::string_view key);

// The server, share and user of an smbfs f_mntfromname: "//[domain;][user[:password]@]server/share"
// (mount_smbfs(8)); empty server when it does not have that shape.
struct SmbMountSource {
    std::string user, server, share;
};
SmbMountSource parseSmbMountFrom(const std::string &from);

} // namespace tt::store
