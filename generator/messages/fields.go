package messages

import (
	"regexp"
	"strings"
)

// Field is a key of front matter or of lanmu.toml named in a message. In
// Chinese it is printed with its Chinese name after it, date（日期）, so
// that an editor who does not read English knows which line to mend, and
// can still find the key as it is written in the file.
type Field string

// fieldNames are the Chinese names of the keys editors write, by the
// key's last part (tasks[2].due is a due).
var fieldNames = map[string]string{
	"title": "标题", "date": "日期", "tags": "标签", "draft": "草稿", "slug": "网址名",
	"url": "网址", "aliases": "别名", "type": "类型", "weight": "排序权重",
	"summary": "摘要", "description": "简介", "author": "作者", "source": "来源",
	"required": "必读", "deck": "卡组", "topics": "专题", "order": "顺序",
	"due": "截止日期", "every": "周期", "from": "开始日期", "to": "结束日期",
	"evidence": "佐证材料", "section": "栏目", "min": "最少篇数", "per": "统计单位",
	"tasks": "任务", "id": "编号", "number": "编号", "status": "状态", "done": "完成日期",
	"branch": "党支部", "form": "形式", "place": "地点", "speaker": "主讲人",
	"duration": "时长", "level": "级别", "photo": "照片", "name": "姓名",
	"position": "职务", "unit": "单位", "contact": "联系方式", "organizer": "主办单位",
	"sponsor": "承办单位", "sitename": "网站名称",
	"baseurl": "网站地址", "language": "语言", "timezone": "时区", "theme": "主题",
	"paginate": "每页条数", "maxpagesize": "单页大小上限", "unsafehtml": "保留原始 HTML",
	"minify": "压缩输出", "limit": "订阅条数", "fullcontent": "全文输出",
	"duplex": "双面打印方式", "style": "排版样式", "bleed": "出血", "asof": "评估日期",
	"duesoondays": "临期天数", "main": "主菜单", "siteidcode": "政府网站标识码",
	"sitedomain": "网站域名", "police": "公安备案号", "icp": "ICP 备案号",
	"conac": "党政机关网站标识", "jiucuo": "纠错",
	"lastmod": "修改日期", "publishdate": "发布日期", "expirydate": "下线日期",
}

var listIndex = regexp.MustCompile(`\[\d+\]$`)

// inChinese is the field with its Chinese name after it, or the field
// alone when it has none.
func (f Field) inChinese() string {
	key := listIndex.ReplaceAllString(string(f), "")
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		key = key[i+1:]
	}
	if name, ok := fieldNames[strings.ToLower(key)]; ok {
		return string(f) + "（" + name + "）"
	}
	return string(f)
}

// FieldName is a key's Chinese name (标题 for title), or "" when it has
// none: the editing form's label for the key.
func FieldName(key string) string {
	return fieldNames[strings.ToLower(key)]
}
