#include "PathElideDelegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QStyle>

namespace tt {

QString PathElideDelegate::elide(const QString &text, const QFontMetrics &fm, int width)
{
    if (fm.horizontalAdvance(text) <= width)
        return text;
    // The file name starts after the last separator before any " (count)" suffix.
    const qsizetype suffix = text.lastIndexOf(QLatin1String(" ("));
    const qsizetype sep = std::max(text.lastIndexOf(QLatin1Char('\\'), suffix > 0 ? suffix : -1),
        text.lastIndexOf(QLatin1Char('/'), suffix > 0 ? suffix : -1));
    const QString ellipsis(QChar(0x2026));
    if (sep <= 0)
        return fm.elidedText(text, Qt::ElideRight, width);
    const QString tail = text.mid(sep); // "\services.exe (12)"
    if (fm.horizontalAdvance(ellipsis + tail) > width)
        return fm.elidedText(ellipsis + tail, Qt::ElideRight, width);
    // The longest head of the directory that fits, cut after a separator when one is in it.
    const QString dir = text.left(sep);
    qsizetype lo = 0, hi = dir.size();
    while (lo < hi) { // the largest n with head(n) + ellipsis + tail fitting
        const qsizetype mid = (lo + hi + 1) / 2;
        if (fm.horizontalAdvance(dir.left(mid) + ellipsis + tail) <= width)
            lo = mid;
        else
            hi = mid - 1;
    }
    QString head = dir.left(lo);
    const qsizetype cut = std::max(head.lastIndexOf(QLatin1Char('\\')), head.lastIndexOf(QLatin1Char('/')));
    if (cut > 0)
        head = head.left(cut + 1);
    return head + ellipsis + tail;
}

void PathElideDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QStyle *style = option->widget ? option->widget->style() : QApplication::style();
    const int margin = 2 * (style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, option->widget) + 1);
    option->text = elide(option->text, option->fontMetrics, option->rect.width() - margin);
    option->textElideMode = Qt::ElideNone;
}

} // namespace tt
