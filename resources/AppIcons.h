#pragma once

class QIcon;
class QImage;
class QString;

namespace tt {

// The id shared by the .desktop file, the AppStream metainfo, the MIME package and the icon name.
QString applicationId();

// The desktop theme's icon of a freedesktop icon name (document-open, edit-undo, ...), or ours from
// the resources (:/icons/actions/NAME.svg) when the theme has none. Null for a name we do not ship.
QIcon themedIcon(const QString &freedesktopName);

// The application icon (window, task bar): the installed hicolor icon when the desktop has it, else
// drawn from the resources at every hicolor size.
QIcon applicationIcon();

// Which drawing of the application icon in DIR makes SIZE px: the 16 px grid design up to 24 px,
// the detailed one above. One rule for the build-time PNGs and the window icon.
QString applicationIconSvg(const QString &dir, int size);

// SVG_FILE drawn into a transparent SIZE x SIZE image; null when the file is not a valid SVG.
QImage renderSvgIcon(const QString &svgFile, int size);

} // namespace tt
