package content

import (
	"fmt"
	"time"
)

// dateLayouts are the date forms front matter may use; those without a zone
// are read in the site's time zone.
var dateLayouts = []string{
	time.DateOnly,
	"2006-01-02 15:04",
	time.DateTime,
	"2006-01-02T15:04",
	"2006-01-02T15:04:05",
}

// ParseDate reads a front matter date: "2016-06-16", "2016-06-16 09:32",
// RFC 3339, or a TOML date value. Dates without a zone are in loc.
func ParseDate(v any, loc *time.Location) (time.Time, error) {
	switch t := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		// TOML's local dates and times carry a marker zone of their own:
		// keep the wall clock and read it in the site's zone.
		switch t.Location().String() {
		case "date-local", "datetime-local", "time-local":
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc), nil
		}
		return t, nil
	case string:
		if t == "" {
			return time.Time{}, nil
		}
		if d, err := time.Parse(time.RFC3339, t); err == nil {
			return d, nil
		}
		for _, layout := range dateLayouts {
			if d, err := time.ParseInLocation(layout, t, loc); err == nil {
				return startOfWrittenDay(d, t), nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a date: write 2016-06-16, 2016-06-16 09:32 or 2016-06-16T09:32:00+08:00", t)
	}
	return time.Time{}, fmt.Errorf("%v is not a date: write 2016-06-16, 2016-06-16 09:32 or 2016-06-16T09:32:00+08:00", v)
}

// startOfWrittenDay corrects a date-only value in a zone whose clocks skip
// midnight on that day (Go then gives 23:00 of the day before): it moves to
// the first instant of the day that was written, so a deadline never moves
// to the previous day.
func startOfWrittenDay(d time.Time, written string) time.Time {
	want, err := time.Parse(time.DateOnly, written)
	if err != nil {
		return d // not a bare date: a time of day was written
	}
	for i := 0; i < 4 && d.Day() != want.Day(); i++ {
		d = d.Add(time.Hour) // absolute time: lands on the day's first instant
	}
	return d
}
