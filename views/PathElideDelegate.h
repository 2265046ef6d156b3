#pragma once

#include <QStyledItemDelegate>

class QFontMetrics;

namespace tt {

// Draws paths so that the program name survives: when "C:\Windows\System32\services.exe (12)"
// is too wide, the middle of the directory part goes ("C:\Windows\…\services.exe (12)"), never
// the file name or what follows it. Used by the parent-image pivot combo.
class PathElideDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // `text` fitted into `width` pixels as above. Only when even "…\file" does not fit is the
    // rest elided (at its end, after the file name's start).
    static QString elide(const QString &text, const QFontMetrics &fm, int width);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace tt
