#pragma once

// Where the desktop clients of cloud storage keep their synced folders, and which processes are
// those clients (docs/inference.md, "cloud-sync"). Paths as the vendors document them:
// OneDrive %UserProfile%\OneDrive and "OneDrive - <organisation>", Dropbox %UserProfile%\Dropbox
// and "Dropbox (<team>)", Google Drive for desktop "<letter>:\My Drive" / "Shared drives" (also
// %UserProfile%\My Drive when mirrored) and Backup and Sync's %UserProfile%\Google Drive, Box
// Drive %UserProfile%\Box and Box Sync's "Box Sync"; on Linux and macOS ~/Dropbox, ~/OneDrive,
// ~/Library/CloudStorage/<provider>-<account>.

#include <optional>
#include <string>
#include <string_view>

namespace tt::inference {

class SyncFolder {
public:
    struct Place {
        std::string provider; // "onedrive", "dropbox", "gdrive", "box"
        std::string relative; // the path inside the synced folder, key() form (lower case, '\')
    };
    // The synced folder a path lies in; nullopt outside any (or in a client's own cache).
    static std::optional<Place> locate(std::string_view path);
    // The provider whose sync client an image is ("" when it is none): OneDrive.exe, Dropbox.exe,
    // GoogleDriveFS.exe, googledrivesync.exe, Box.exe, BoxSync.exe, and the Linux clients.
    static std::string clientOf(std::string_view image);
};

} // namespace tt::inference
