// Wide-character ncurses for Swift: the macros Swift cannot import are wrapped as functions.
#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/// COLOR_PAIR(n) as a function (the macro does not import).
static inline attr_t cnc_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
/// The number of colours terminfo reports (the COLORS global, as a function).
static inline int cnc_colors(void) { return COLORS; }
/// The number of colour pairs available (COLOR_PAIRS).
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }
/// getmaxy/getmaxx of stdscr as functions.
static inline int cnc_lines(void) { return getmaxy(stdscr); }
static inline int cnc_cols(void) { return getmaxx(stdscr); }
static inline WINDOW *cnc_stdscr(void) { return stdscr; }
/// The C library's stdin/stdout streams as functions (Swift 6 sees the `stdin`/`stdout` globals as shared
/// mutable state; libc sets them before main and this program never reassigns them).
static inline FILE *cnc_stdin(void) { return stdin; }
static inline FILE *cnc_stdout(void) { return stdout; }
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
/// Columns a wide character takes (wcwidth; declared here because glibc hides it without _XOPEN_SOURCE).
extern int wcwidth(wchar_t c);
static inline int cnc_wcwidth(wchar_t c) { return wcwidth(c); }
#endif
