package preview

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"lanmu/generator/build"
	"lanmu/internal/chrome"
)

// TestEditInChromium drives serve --edit's interface in Chromium: the
// address lanmu prints opens the list of pages by kind, whose search
// narrows it; a page's file is opened, changed and saved, and then holds
// exactly the new text, which the preview shows; a save over a file changed
// on disk meanwhile is refused with both texts, and the file keeps the
// other change.
func TestEditInChromium(t *testing.T) {
	ctx := chrome.New(t, 2*time.Minute)
	siteURL, site, out, start := startEditing(t)
	if !strings.Contains(out.String(), start) {
		t.Errorf("the terminal does not show the editing address %s:\n%s", start, out)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(start), chromedp.WaitVisible(chromedp.CSS(".ed__group"))); err != nil {
		t.Fatalf("opening %s: %v\n%s", start, err, out)
	}
	var location string
	location, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
	if strings.Contains(location, "token=") {
		t.Errorf("the token stays in the address bar: %s", location)
	}
	waitFor(t, ctx, "the readings are listed", `[...document.querySelectorAll(".ed__group h2")].some(h => h.textContent.startsWith("必读文章")) && document.querySelectorAll(".ed__page").length > 50`, out)

	// The search keeps the pages whose title or file has every word.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#find"), "学好党章")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the search narrows the list", `[...document.querySelectorAll(".ed__page")].filter(li => !li.hidden).length === 1`, out)

	file := filepath.Join(site, "content/readings/学习党章.md")
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// The page's form opens; its link leads to the file as text.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".ed__page:not([hidden]) .ed__edit")), chromedp.WaitEnabled(chromedp.CSS(".ed__save")),
		chromedp.Click(chromedp.CSS("#raw-link")), chromedp.WaitEnabled(chromedp.CSS("#text"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the file's text is loaded", `document.querySelector("#text").value.includes("学党章")`, out)
	edited := strings.Replace(string(before), "学习教育与以往的集中性教育活动不同", "在浏览器里改过的这一句：学习教育与以往的集中性教育活动不同", 1)
	if edited == string(before) {
		t.Fatal("the sample sentence is not in the page")
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#text"), edited), chromedp.Click(chromedp.CSS(".ed__save"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the save is confirmed", `document.querySelector(".ed__status--ok") !== null`, out)
	if now, _ := os.ReadFile(file); string(now) != edited {
		t.Errorf("the file does not hold what was saved:\n%s", now)
	}

	// A date the build cannot read shows under the text, at its line, in
	// the build's words; fixed, the list empties.
	broken := strings.Replace(edited, "date: 2016-06-22", "date: 2016-13-45", 1)
	if broken == edited {
		t.Fatal("the page's date is not where the test looks")
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#text"), broken), chromedp.Click(chromedp.CSS(".ed__save"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the build's problem shows", `!document.querySelector("#problems").hidden && [...document.querySelectorAll(".ed__problem")].some(li => li.textContent.includes("3:1") && li.textContent.includes("date（日期）"))`, out)
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#text"), edited), chromedp.Click(chromedp.CSS(".ed__save"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the fixed date clears the problem", `document.querySelector("#problems").hidden`, out)
	// The terminal says it in the same words.
	if !strings.Contains(out.String(), "content/readings/学习党章.md:3:1: date（日期）") {
		t.Errorf("the terminal does not show the problem in Chinese:\n%s", out)
	}

	// The preview shows the saved text.
	article := siteURL + "readings/%E5%AD%A6%E4%B9%A0%E5%85%9A%E7%AB%A0/"
	deadline := time.Now().Add(20 * time.Second)
	for {
		body, err := fetch(article)
		if err == nil && strings.Contains(body, "在浏览器里改过的这一句") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the preview never showed the saved text (%v)\n%s", err, out)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Someone else changes the file; a save from the old version is
	// refused, and shows their text.
	theirs := strings.Replace(edited, "在浏览器里改过的这一句", "在别处改过的这一句", 1)
	if err := os.WriteFile(file, []byte(theirs), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#text"), edited+"\n又加一段。\n"), chromedp.Click(chromedp.CSS(".ed__save"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the conflict shows the text on disk", `!document.querySelector("#conflict").hidden && document.querySelector("#theirs").textContent.includes("在别处改过的这一句")`, out)
	if now, _ := os.ReadFile(file); string(now) != theirs {
		t.Errorf("the stale save overwrote the file:\n%s", now)
	}

	// Leaving with the text unsaved asks first; the test says yes.
	asked := make(chan string, 1)
	prompted := make(chan string, 1)
	chromedp.Listen(ctx, func(ev any) {
		d, ok := ev.(*page.EventJavascriptDialogOpening)
		if !ok {
			return
		}
		answer := page.HandleJavaScriptDialogParams{Accept: true}
		switch d.Type {
		case page.DialogTypeBeforeunload:
			asked <- d.Message
		case page.DialogTypePrompt:
			prompted <- d.Message
			answer.PromptText = "content/classes/jiandang-95.md"
		}
		go chromedp.Call(ctx, page.HandleJavaScriptDialog, answer)
	})

	// 新建 makes a reading from its archetype, as lanmu new does, and opens
	// it to edit.
	if err := chromedp.Do(ctx, chromedp.Navigate(strings.Split(start, "session?")[0]), chromedp.WaitVisible(chromedp.CSS(`.ed__new[data-kind="reading"]`)),
		chromedp.SendKeys(chromedp.CSS(`.ed__new[data-kind="reading"] input`), "在浏览器里新建的文章"),
		chromedp.Click(chromedp.CSS(`.ed__new[data-kind="reading"] button`))); err != nil {
		t.Fatal(err)
	}
	select {
	case <-asked:
	case <-time.After(5 * time.Second):
		t.Error("leaving the page with its text unsaved did not ask first")
	}
	waitFor(t, ctx, "the new page opens to edit", `location.search.includes("path=") && document.querySelector('.ed__field[data-key="title"] input').value === "在浏览器里新建的文章"`, out)
	made, err := os.ReadFile(filepath.Join(site, "content/readings/在浏览器里新建的文章.md"))
	if err != nil || !strings.Contains(string(made), "title: 在浏览器里新建的文章") || !strings.Contains(string(made), "draft: true") {
		t.Errorf("the new reading's file: %v\n%s", err, made)
	}

	// A teacher's photo: uploaded into the bundle beside the first (under
	// a numbered name), and referenced where the caret is, with the
	// description selected to write over.
	bundle := "content/teachers/li-hongmei/index.md"
	photo, err := filepath.Abs(filepath.Join(site, "content/teachers/li-hongmei/photo.png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(strings.Split(start, "session?")[0]+"page?path="+bundle+"&raw=1"), chromedp.WaitEnabled(chromedp.CSS("#text")),
		chromedp.SetUploadFiles(chromedp.CSS("#image"), []string{photo})); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the photo's reference is inserted", `(() => { const t = document.querySelector("#text"); return t.value.includes("![图片说明](photo-2.png)") && t.value.slice(t.selectionStart, t.selectionEnd) === "图片说明"; })()`, out)
	original, _ := os.ReadFile(photo)
	if copied, err := os.ReadFile(filepath.Join(site, "content/teachers/li-hongmei/photo-2.png")); err != nil || string(copied) != string(original) {
		t.Errorf("the uploaded photo: %v (%d bytes, want %d)", err, len(copied), len(original))
	}

	// A rename first says which pages link to the page, then moves it and
	// opens it at its new path.
	class := "content/classes/jiandang-95-lixiang-xinnian.md"
	if err := chromedp.Do(ctx, chromedp.Navigate(strings.Split(start, "session?")[0]+"page?path="+class+"&raw=1"), chromedp.WaitEnabled(chromedp.CSS("#text")),
		chromedp.Click(chromedp.CSS("#rename"))); err != nil {
		t.Fatal(err)
	}
	select {
	case msg := <-prompted:
		if !strings.Contains(msg, "content/readings/jiang-dangke-gongzuo-zhiyin.md") || !strings.Contains(msg, "会随之改为新的路径") {
			t.Errorf("the rename's question does not name the page that links here, whose link follows:\n%s", msg)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the rename asked nothing")
	}
	waitFor(t, ctx, "the moved page opens", `location.search.includes("jiandang-95.md") && document.querySelector('.ed__field[data-key="title"] input').value.includes("纪念建党95周年")`, out)
	if _, err := os.Stat(filepath.Join(site, "content/classes/jiandang-95.md")); err != nil {
		t.Errorf("the class was not moved: %v", err)
	}
	if _, err := os.Stat(filepath.Join(site, class)); err == nil {
		t.Error("the class is still at its old path")
	}
	// The page that linked to the class links to its new path, anchor
	// kept, and the build finds no link to nowhere.
	linking, _ := os.ReadFile(filepath.Join(site, "content/readings/jiang-dangke-gongzuo-zhiyin.md"))
	if !strings.Contains(string(linking), "[见党课提纲](../classes/jiandang-95.md#课后讨论)") {
		t.Errorf("the linking page's link did not follow the move:\n%s", linking)
	}
	if _, err := build.Build(build.Options{Source: site, Dest: filepath.Join(t.TempDir(), "public")}); err != nil {
		t.Errorf("lanmu build after the rename: %v", err)
	}
}
