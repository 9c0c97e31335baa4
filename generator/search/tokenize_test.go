package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// tokenCases are split by Tokenize here and by search.js in the browser
// test, which must agree on every one.
var tokenCases = []struct {
	name, in string
	want     []string
}{
	{"empty", "", nil},
	{"spaces only", " \t\n　", nil},
	{"Chinese phrase", "学习教育", []string{"学习", "习教", "教育"}},
	{"two characters", "党章", []string{"党章"}},
	{"lone character", "党", []string{"党"}},
	{"Chinese punctuation splits", "学党章党规、学系列讲话，做合格党员。",
		[]string{"学党", "党章", "章党", "党规", "学系", "系列", "列讲", "讲话", "做合", "合格", "格党", "党员"}},
	{"lone characters between punctuation", "一、二。三",
		[]string{"一", "二", "三"}},
	{"quotes", "“两学一做”", []string{"两学", "学一", "一做"}},
	{"English lower-cased", "Learning the Party CONSTITUTION", []string{"learning", "the", "party", "constitution"}},
	{"hyphen and apostrophe split", "Wi-Fi isn't", []string{"wi", "fi", "isn", "t"}},
	{"digits", "2016 年 6 月", []string{"2016", "年", "6", "月"}},
	{"decimal point splits", "3.14", []string{"3", "14"}},
	{"mixed", "利用App学习5G课件", []string{"利用", "app", "学习", "5g", "课件"}},
	{"mixed with spaces", "在 Git 和 Word 的支持下", []string{"在", "git", "和", "word", "的支", "支持", "持下"}},
	{"number inside Chinese", "纪念建党95周年", []string{"纪念", "念建", "建党", "95", "周年"}},
	{"full-width letters and digits", "ＬＡＮＭＵ２０２４", []string{"lanmu2024"}},
	{"full-width punctuation", "（学习）：好！", []string{"学习", "好"}},
	{"ideographic space", "党员　干部", []string{"党员", "干部"}},
	{"circled and compatibility", "①㍿", []string{"1", "株式", "式会", "会社"}},
	{"Kangxi radical is its ideograph", "⼀⼈", []string{"一人"}},
	{"ligature", "ﬁnal", []string{"final"}},
	{"accents kept", "Café naïve", []string{"café", "naïve"}},
	{"decomposed accent composed", "Cafe\u0301", []string{"café"}},
	{"Greek final sigma", "ΟΔΟΣ", []string{"οδοσ"}},
	{"dotted capital I", "İstanbul", []string{"istanbul"}},
	{"German sharp s", "STRAẞE", []string{"straße"}},
	{"emoji split", "点赞👍党员🇨🇳❤\uFE0F好", []string{"点赞", "党员", "好"}},
	{"emoji in words", "go👍go", []string{"go", "go"}},
	{"variation selector after Han", "葛\U000E0100西", []string{"葛西"}},
	{"Japanese", "ひらがなとカタカナ", []string{"ひら", "らが", "がな", "なと", "とカ", "カタ", "タカ", "カナ"}},
	{"katakana prolonged mark", "コーヒー", []string{"コー", "ーヒ", "ヒー"}},
	{"half-width katakana", "ｺｰﾋｰ", []string{"コー", "ーヒ", "ヒー"}},
	{"Korean", "한국어 학습", []string{"한국", "국어", "학습"}},
	{"rare Han outside the main block", "𠮷野家", []string{"𠮷野", "野家"}},
	{"Cyrillic", "Партия", []string{"партия"}},
	{"Devanagari marks stay", "हिन्दी", []string{"हिन्दी"}},
	{"markup characters", `<b>"x" & y</b>`, []string{"b", "x", "y", "b"}},
	{"underscore splits", "snake_case", []string{"snake", "case"}},
	{"roman numeral", "Ⅻ", []string{"xii"}},
	{"superscript", "m²", []string{"m2"}},
	{"repeats kept", "学习学习", []string{"学习", "习学", "学习"}},
}

func TestTokenize(t *testing.T) {
	for _, c := range tokenCases {
		t.Run(c.name, func(t *testing.T) {
			if got := Tokenize(c.in); !slices.Equal(got, c.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestTokenizeNFCFastPath checks that skipping the normaliser for text of
// known-stable characters changes nothing: every character the fast path
// lets through is already NFC on its own and next to any other.
func TestTokenizeNFCFastPath(t *testing.T) {
	var b strings.Builder
	for r := rune(0x20); r < 0x300; r++ {
		b.WriteRune(r)
	}
	for _, span := range [][2]rune{{0x2010, 0x2027}, {0x3000, 0x3029}, {0x4E00, 0x4E40}, {0x9FC0, 0x9FFF}, {0xFF01, 0xFF5E}} {
		for r := span[0]; r <= span[1]; r++ {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if got := toNFC(s); got != s {
		t.Fatal("toNFC changed text of stable characters")
	}
	if got, want := toNFC("e\u0301"), "é"; got != want {
		t.Errorf("toNFC(e + combining acute) = %q, want %q", got, want)
	}
}

func TestFoldFastPathsMatchTheNormaliser(t *testing.T) {
	// Full-width ASCII and the main Han block skip the normaliser in fold;
	// the slow path must give the same characters.
	for r := rune(0xFF01); r <= 0xFF5E; r++ {
		fast, _ := fold(r, nil, nil, make([]byte, 4))
		want := strings.ToLower(string(r - 0xFEE0))
		if string(fast) != want {
			t.Errorf("fold(%q) = %q, want %q", r, string(fast), want)
		}
	}
	for _, r := range []rune{0x4E00, 0x515A, 0x9FFF} {
		fast, _ := fold(r, nil, nil, make([]byte, 4))
		if string(fast) != string(r) {
			t.Errorf("fold(%q) = %q", r, string(fast))
		}
	}
}

func TestPairKeys(t *testing.T) {
	// A keyed token comes as its key alone, and stands for one or two
	// characters of the Basic Multilingual Plane; every other CJK token
	// has a character beyond it.
	for _, c := range tokenCases {
		scan(c.in, func(tok []byte, key uint32) {
			if key != 0 {
				rs := []rune(keyToken(key))
				if tok != nil || len(rs) > 2 || !isCJK(rs[0]) || slices.ContainsFunc(rs, func(r rune) bool { return r > 0xFFFF }) {
					t.Errorf("key %#x (%q) with text %q", key, keyToken(key), tok)
				}
				return
			}
			rs := []rune(string(tok))
			if key == 0 && isCJK(rs[0]) && !slices.ContainsFunc(rs, func(r rune) bool { return r > 0xFFFF }) {
				t.Errorf("%q has no key", tok)
			}
		})
	}
}

func BenchmarkTokenize(b *testing.B) {
	text := strings.Repeat("各级党组织紧紧围绕“服务群众、推动发展”的要求，利用 App 和微信群开展线上学习打卡。", 40)
	b.SetBytes(int64(len(text)))
	for range b.N {
		n := 0
		scan(text, func([]byte, uint32) { n++ })
	}
}

func TestDecodeRuneAgreesWithUTF8(t *testing.T) {
	// Every three-byte pattern with a lead byte E0–EF, continuation bytes
	// or not, cut short or not.
	for lead := 0xE0; lead <= 0xEF; lead++ {
		for b1 := 0x70; b1 <= 0xC5; b1++ {
			for b2 := 0x70; b2 <= 0xC5; b2 += 3 {
				for _, s := range []string{string([]byte{byte(lead), byte(b1), byte(b2)}), string([]byte{byte(lead), byte(b1)}), "a" + string([]byte{byte(lead), byte(b1), byte(b2)})} {
					for i := range len(s) {
						r, n := decodeRune(s, i)
						wr, wn := utf8.DecodeRuneInString(s[i:])
						if r != wr || n != wn {
							t.Fatalf("decodeRune(%q, %d) = %U, %d; want %U, %d", s, i, r, n, wr, wn)
						}
					}
				}
			}
		}
	}
}
