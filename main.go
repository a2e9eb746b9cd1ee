// Command secdoc (涉密文件管理) keeps the register of confidential documents
// on an isolated workstation. This file is the composition root: it reads the
// command line, opens the database and builds the window. It is the only
// importer of Fyne's app package.
package main

import (
	"errors"
	"flag"
	"log"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/assets"
	"secdoc/internal/cli"
	"secdoc/internal/private"
	_ "secdoc/internal/zhlocale" // before the toolkit reads the locale
	"secdoc/ui"
)

func main() {
	private.SetUmask() // everything this process creates is the owner's only
	args := os.Args[1:]
	if cli.IsSubcommand(args) {
		os.Exit(cli.Run(args, os.Stdin, os.Stdout, os.Stderr))
	}
	flags, err := cli.ParseGUI(args, os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(2)
	}

	// The window keeps a live heap of about 60 MB whatever the register's
	// size; collecting at half that again rather than double keeps its
	// resident memory some 35 MB lower (README, Performance), at a cost the
	// idle window does not pay. GOGC, when set, decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	ui.UseChineseLocale()
	a := fyneapp.NewWithID("cn.secdoc.desktop")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	a.Settings().SetTheme(ui.NewTheme())
	w := a.NewWindow("涉密文件管理")
	// The window opens at a size that fits the screen it is on; what it
	// shows scrolls inside rather than make it grow (ui.fitTabs).
	sw, sh, ok := screenSize()
	w.Resize(startSize(sw, sh, ok, userScale()))

	// The database opens off the window's goroutine: the first opening of a
	// large register by a new version seals every row and takes minutes,
	// which the window says as it goes.
	status := widget.NewLabel("正在打开数据库…")
	w.SetContent(container.NewCenter(status))
	var svc *app.Service
	go func() {
		s, err := app.OpenWithProgress(flags.DB, func(msg string) { fyne.Do(func() { status.SetText(msg) }) })
		fyne.Do(func() {
			if err != nil {
				log.Printf("open %s: %v", flags.DB, err)
				showFatal(w, cli.Explain(err))
				return
			}
			svc = s
			w.SetContent(ui.NewShell(a, w, svc, ui.Options{DBPath: svc.Path(), StartView: flags.View}).Content())
		})
	}()
	w.SetMaster()
	closeOnSignal(w)
	w.ShowAndRun()
	// The window is closed and whoever was signed in signed out: what is
	// still loading is interrupted, and the database closed.
	if svc != nil {
		svc.Close()
	} else {
		os.Exit(1)
	}
}

// closeOnSignal closes the window when the system asks the program to end
// (SIGTERM at shutdown, Ctrl+C where it was started from a terminal), so
// that it ends as it does when the clerk closes the window: the session
// signed out and the database closed.
func closeOnSignal(w fyne.Window) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-sig
		fyne.Do(w.Close)
	}()
}

// showFatal fills the window with a message that stops the program, such as
// another instance holding the database, and a button to close.
func showFatal(w fyne.Window, msg string) {
	os.Stderr.WriteString(msg + "\n")
	label := widget.NewLabel(msg)
	label.Wrapping = fyne.TextWrapWord
	w.SetContent(container.NewPadded(container.NewBorder(nil,
		container.NewCenter(widget.NewButton("退出", func() { w.Close() })), nil, nil, label)))
	w.Resize(fyne.NewSize(560, 220))
}
