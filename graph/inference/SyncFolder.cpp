#include "inference/SyncFolder.h"

#include "inference/WinPath.h"

namespace tt::inference {

namespace {
struct Root {
    const char *name; // first path component of the synced folder (lower case)
    bool prefixOnly; // "onedrive - contoso", "dropbox (team)": the name may go on after a space
    const char *provider;
};
// Under a user's profile / home folder.
const Root kUserRoots[] = {
    {"onedrive", true, "onedrive"},
    {"dropbox", true, "dropbox"},
    {"google drive", false, "gdrive"},
    {"my drive", false, "gdrive"},
    {"box", false, "box"},
    {"box sync", false, "box"},
};

// "users\alice\rest" / "home/alice/rest" style: the component after the profile folder.
std::optional<SyncFolder::Place> fromProfile(std::string_view afterUser)
{
    const size_t slash = afterUser.find('\\');
    if (slash == std::string_view::npos)
        return std::nullopt;
    const std::string_view top = afterUser.substr(0, slash);
    const std::string_view rest = afterUser.substr(slash + 1);
    if (rest.empty())
        return std::nullopt;
    for (const Root &r : kUserRoots) {
        const std::string_view n(r.name);
        if (top == n
            || (r.prefixOnly && top.size() > n.size() && top.substr(0, n.size()) == n
                && (top[n.size()] == ' ' || top[n.size()] == '-')))
            return SyncFolder::Place {r.provider, std::string(rest)};
    }
    return std::nullopt;
}
} // namespace

std::optional<SyncFolder::Place> SyncFolder::locate(std::string_view path)
{
    const std::string k = WinPath::key(WinPath::stripNtPrefix(path));
    // The clients' own caches and staging folders are not the synced files.
    for (const char *cache : {"\\.dropbox.cache\\", "\\.tmp.drivedownload\\"})
        if (k.find(cache) != std::string::npos)
            return std::nullopt;
    // Google Drive for desktop's virtual drive: "G:\My Drive\x", "G:\Shared drives\team\x".
    if (k.size() > 3 && k[1] == ':' && k[2] == '\\') {
        const std::string_view rest = std::string_view(k).substr(3);
        for (const char *top : {"my drive\\", "shared drives\\"})
            if (rest.substr(0, std::string_view(top).size()) == top && rest.size() > std::string_view(top).size())
                return Place {"gdrive", std::string(rest.substr(std::string_view(top).size()))};
    }
    // macOS File Provider: ~/Library/CloudStorage/OneDrive-Contoso/x, Dropbox/x, GoogleDrive-a@b/My Drive/x.
    if (const size_t cs = k.find("\\library\\cloudstorage\\"); cs != std::string::npos) {
        const std::string_view rest = std::string_view(k).substr(cs + 22);
        const size_t slash = rest.find('\\');
        if (slash != std::string_view::npos && slash + 1 < rest.size()) {
            const std::string_view top = rest.substr(0, slash);
            for (const auto &[prefix, provider] : {std::pair {"onedrive", "onedrive"}, std::pair {"dropbox", "dropbox"},
                     std::pair {"googledrive", "gdrive"}, std::pair {"box", "box"}})
                if (top.substr(0, std::string_view(prefix).size()) == prefix) {
                    std::string_view inner = rest.substr(slash + 1);
                    if (std::string(provider) == "gdrive" && inner.substr(0, 9) == "my drive\\")
                        inner = inner.substr(9);
                    return Place {provider, std::string(inner)};
                }
        }
        return std::nullopt;
    }
    // Profile folders: C:\Users\<u>\..., /home/<u>/..., /Users/<u>/..., /root/...
    for (const char *profiles : {":\\users\\", "\\home\\", "\\users\\"}) {
        const size_t at = k.find(profiles);
        if (at == std::string::npos || (profiles[0] != ':' && at != 0))
            continue;
        const std::string_view afterProfiles = std::string_view(k).substr(at + std::string_view(profiles).size());
        const size_t user = afterProfiles.find('\\');
        if (user == std::string_view::npos)
            return std::nullopt;
        return fromProfile(afterProfiles.substr(user + 1));
    }
    if (k.substr(0, 6) == "\\root\\")
        return fromProfile(std::string_view(k).substr(6));
    return std::nullopt;
}

std::string SyncFolder::clientOf(std::string_view image)
{
    const std::string base = WinPath::key(WinPath::fileName(image));
    struct Client {
        const char *image;
        const char *provider;
    };
    static const Client kClients[] = {
        {"onedrive.exe", "onedrive"},
        {"onedrive", "onedrive"}, // the Linux client (abraunegg/onedrive)
        {"dropbox.exe", "dropbox"},
        {"dropbox", "dropbox"},
        {"googledrivefs.exe", "gdrive"},
        {"googledrivesync.exe", "gdrive"},
        {"box.exe", "box"},
        {"boxsync.exe", "box"},
    };
    for (const Client &c : kClients)
        if (base == c.image)
            return c.provider;
    return {};
}

} // namespace tt::inference
