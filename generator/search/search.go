// Package search makes the index behind a site's search page, which runs
// entirely in the reader's browser: the build writes the index to /search/
// and the theme's search.js splits the query into tokens the same way,
// fetches the parts of the index they are in, ranks the pages and shows
// snippets. Chinese has no spaces between words, so instead of a word list
// the index holds every pair of neighbouring characters; a query of any Chinese words then finds the
// pages holding its pairs, with no dictionary.
//
// # Tokens
//
// search.js must produce exactly the tokens Tokenize does, so the rules are
// spelled out:
//
//  1. The text is put in Unicode NFC.
//  2. Each character is replaced by its NFKC form, and each character of
//     that by its simple lower-case mapping, one character at a time (so a
//     final Σ becomes σ and İ becomes i). Full-width Ｌａｎｍｕ２０２４
//     becomes lanmu2024, ① becomes 1, ㍿ becomes 株式会社.
//  3. The resulting characters are read in order. A character of the Han,
//     Hiragana, Katakana or Hangul script (or ー) is a CJK character; any
//     other letter or number is a word character. A combining mark in a
//     run of word characters is one of them; in a run of CJK characters it
//     is skipped (so 葛, a variation selector and 西 still pair as 葛西);
//     anywhere else it separates, like everything else: spaces,
//     punctuation, symbols, emoji.
//  4. A run of word characters is one token: "Wi-Fi" gives wi and fi.
//  5. A run of CJK characters gives each overlapping pair: 学习教育 gives
//     学习, 习教, 教育. A run of a single CJK character gives that character.
//  6. CJK and word runs end where the other kind begins: 利用App学习 gives
//     利用, app, 学习.
//
// Go's tables are Unicode 15.0. A browser with newer tables tokenises the
// characters assigned since then differently (CJK Extension I, say); for
// every character Go knows, the browser test requires the same tokens.
//
// # Index format
//
// The index is a folder of JSON files. A query reads the manifest,
// index.json, then only the token shards its tokens are in, then the
// chunks of docs that hold the results it shows, so that on a site of
// 10,000 pages it fetches a few hundred KB, not the whole index. The
// manifest is fetched fresh; every other file has a hash of its content in
// its name and can be cached for good. There are at most PagesPerFile
// pages per file (see shapeFor):
//
//	index.json: {"v": 2, "count": docs, "perChunk": docs per chunk,
//	             "kinds": [label, …], "sections": [label, …],
//	             "groups": [[kind, section], …], "facets": groups of docs,
//	             "tokens": [shard file, …], "chars": [shard file, …],
//	             "docs": [chunk file, …]}
//	tokens/I-HASH.json: {token: postings, …}
//	chars/I-HASH.json: {character: postings, …}
//	docs/I-HASH.json: [[url, title, date, text], …]
//
// Doc d is item d mod perChunk of chunk d / perChunk. Its date is as the
// site prints dates (2016年6月8日), or "" for an undated page; its text is
// the start of the page's text, for the snippet (SnippetRunes characters,
// then "…"). Docs are in the order given to Index, which is also the order
// of equally ranked results. Each doc's kind and section, which the
// results page filters and counts by without fetching the docs, are in
// the facets: a group number per doc, each written as facetDigits digits
// of the postings' alphabet, least significant first.
//
// A lone CJK character is in chars[shardOf(token, len(chars))], any other
// token in tokens[shardOf(token, len(tokens))]; each shard's tokens are
// sorted. A lone CJK character's postings are those of every token it is
// part of, each page with its best weight, since that is how a query's
// lone character matches; so a query of one character fetches one shard,
// and a query of pairs never fetches those larger lists.
//
// A token's postings list the pages that contain it, in order, each as one
// number: the page's distance from the previous page in the list (the
// first page's from -1) times 8, plus the token's weight in that page. The
// weight is the number of occurrences in the body and keywords, at most 3,
// plus 4 if the token is in the title. Each number is written five bits per
// character, least significant first, with the characters
// A–Z a–z 0–9 - _ standing for 0–63 and 32 added to every character but a
// number's last. A token found in every page thus costs one character per
// page, and search.js decodes only the postings of the query's tokens.
package search
