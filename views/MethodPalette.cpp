#include "MethodPalette.h"

#include <QCoreApplication>

#include <iterator>

namespace tt {

namespace {
struct Entry {
    const char *method;
    QRgb rgb;
    const char *label;
};
// Okabe-Ito: distinguishable with the common colour-vision deficiencies. Same values as
// MethodColours.cpp (methodColour()): the two must not drift apart.
constexpr Entry kEntries[] = {
    {"smb-admin-share", 0xffd55e00, QT_TRANSLATE_NOOP("MethodPalette", "SMB admin share")},
    {"smb-share", 0xffe69f00, QT_TRANSLATE_NOOP("MethodPalette", "SMB share")},
    {"psexec-service-binary", 0xffcc79a7, QT_TRANSLATE_NOOP("MethodPalette", "PsExec service binary")},
    {"rdp-tsclient", 0xff0072b2, QT_TRANSLATE_NOOP("MethodPalette", "RDP drive (tsclient)")},
    {"scp", 0xff009e73, QT_TRANSLATE_NOOP("MethodPalette", "scp over SSH")},
    {"sftp", 0xff56b4e9, QT_TRANSLATE_NOOP("MethodPalette", "SFTP over SSH")},
    {"rsync", 0xff8a7d00, QT_TRANSLATE_NOOP("MethodPalette", "rsync over SSH")},
    {"ftp", 0xff882255, QT_TRANSLATE_NOOP("MethodPalette", "FTP")},
    {"http", 0xff44aa99, QT_TRANSLATE_NOOP("MethodPalette", "HTTP (pull or upload)")},
    {"cloud-sync", 0xff332288, QT_TRANSLATE_NOOP("MethodPalette", "cloud-synced folder")},
    {"winrm", 0xff117733, QT_TRANSLATE_NOOP("MethodPalette", "WinRM / PowerShell remoting")},
    {"airdrop", 0xff88ccee, QT_TRANSLATE_NOOP("MethodPalette", "AirDrop (macOS)")},
    {"other", 0xff555555, QT_TRANSLATE_NOOP("MethodPalette", "Other")},
};
constexpr const Entry &kOther = kEntries[std::size(kEntries) - 1];

const Entry &entry(const QString &method)
{
    for (const Entry &e : kEntries)
        if (method == QLatin1String(e.method))
            return e;
    return kOther;
}
} // namespace

const QStringList &MethodPalette::methods()
{
    static const QStringList list = [] {
        QStringList l;
        for (const Entry &e : kEntries)
            l << QString::fromLatin1(e.method);
        return l;
    }();
    return list;
}

QColor MethodPalette::color(const QString &method)
{
    return QColor::fromRgba(entry(method).rgb);
}

QString MethodPalette::label(const QString &method)
{
    return QCoreApplication::translate("MethodPalette", entry(method).label);
}

} // namespace tt
