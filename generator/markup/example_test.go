package markup_test

import (
	"errors"
	"fmt"
	"strings"

	"lanmu/generator/markup"
)

func ExampleConverter_Convert() {
	src := []byte(`## 学习 教育

这是**「强调」**后的文字，
见[第二讲](../classes/lecture-02.md#提纲)和[作业](hw9.md)。
`)
	resolve := func(dest string) (string, error) {
		if strings.HasPrefix(dest, "hw9") {
			return "", errors.New("hw9.md: no such page")
		}
		return strings.Replace(dest, ".md", "/", 1), nil
	}

	res, err := markup.New(markup.Options{}).Convert(src, resolve)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(res.HTML))
	fmt.Printf("TOC: %+v\n", res.TOC)
	fmt.Printf("Summary: %s (truncated: %v)\n", res.Summary, res.Truncated)
	fmt.Printf("Words: %d, minutes: %d\n", res.WordCount, res.ReadingTime)
	for _, p := range res.Problems {
		fmt.Printf("%d:%d: %s\n", p.Line, p.Col, p.Msg)
	}
	// Output:
	// <h2 id="学习-教育">学习 教育</h2>
	// <p>这是<strong>「强调」</strong>后的文字，见<a href="../classes/lecture-02/#%E6%8F%90%E7%BA%B2">第二讲</a>和<a href="hw9.md">作业</a>。</p>
	// TOC: [{Level:2 ID:学习-教育 Text:学习 教育}]
	// Summary: 这是「强调」后的文字，见第二讲和作业。 (truncated: false)
	// Words: 19, minutes: 1
	// 4:37: hw9.md: no such page
}
