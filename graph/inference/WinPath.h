#pragma once

// Windows path and UNC helpers shared by the rules. Paths are compared by key(): ASCII
// lower-case with '/' turned into '\', because NTFS and SMB compare names case-insensitively.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace tt::inference {

class WinPath {
public:
    struct Unc {
        std::string host; // as written (name, FQDN or IP)
        std::string share; // "C$", "ADMIN$", "tsclient" share letter for \\tsclient\C ...
        std::string rest; // path inside the share, without a leading '\'
    };

    // "\??\C:\x" -> "C:\x"; also "\\?\" and "\DosDevices\".
    static std::string stripNtPrefix(std::string_view p);
    // ShareLocalPath + RelativeTargetName -> a full local path ('/' separators under a POSIX root).
    static std::string join(std::string_view shareLocalPath, std::string_view relative);
    static std::string_view fileName(std::string_view p);
    // Directory part without the trailing separator ("" when none).
    static std::string_view directory(std::string_view p);
    static std::string key(std::string_view p);
    static bool equal(std::string_view a, std::string_view b);
    static bool endsWithI(std::string_view s, std::string_view suffix);
    static bool startsWithI(std::string_view s, std::string_view prefix);
    static bool containsI(std::string_view s, std::string_view needle);
    // containsI(s, n) for any n of needles, in one pass over s.
    static bool containsAnyI(std::string_view s, std::initializer_list<std::string_view> needles);
    // "%SystemRoot%\x", "\SystemRoot\x", "%windir%", "%ProgramData%", "%SystemDrive%" expanded with
    // the defaults; the real values are not in the telemetry and the defaults hold on almost all hosts.
    static std::string expandEnv(std::string_view p);
    // The executable of a service ImagePath: quotes and arguments dropped, environment expanded,
    // paths relative to the Windows directory made absolute. Empty when it is not a file path.
    static std::string serviceExecutable(std::string_view imagePath);
    // "\\host\share\rest", also behind PowerShell's "FileSystem::" provider prefix.
    static std::optional<Unc> parseUnc(std::string_view p);
    // "\\*\C$" / "C$" -> "C$".
    static std::string shareShortName(std::string_view shareName);
    static bool isAdminShare(std::string_view shareShort);
    static bool isIpcShare(std::string_view shareShort);
    // A share's local root: ShareLocalPath when the record has it, else the fixed roots of the
    // admin shares (ADMIN$ C:\Windows, X$ X:\); "" for other shares.
    static std::string shareRoot(std::string_view shareShort, std::string_view shareLocalPath = {});
    // Names that mean "this machine" in a UNC path.
    static bool isLoopbackHost(std::string_view host);
    // The names a hypervisor's shared-folder redirector gives the machine the VM runs on (VirtualBox
    // \\VBOXSVR / \\VBOXSRV, VMware \\vmware-host, Parallels \\psf; not its \\Mac alias, a name real
    // hosts have): a host <-> guest channel, not a host of the network.
    static bool isHypervisorShareHost(std::string_view host);
};

} // namespace tt::inference
