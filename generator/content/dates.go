package content

import (
	"time"

	"lanmu/generator/messages"
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
		case "date-local", "datetime-local":
			return inZone(t, loc), nil
		case "time-local":
			return time.Time{}, messages.Errorf("%s is a time of day without a date: write 2016-06-16 09:32 or 2016-06-16T09:32:00+08:00", t.Format("15:04:05"))
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
			if wall, err := time.Parse(layout, t); err == nil {
				return inZone(wall, loc), nil
			}
		}
		return time.Time{}, messages.Errorf("%q is not a date: write 2016-06-16, 2016-06-16 09:32 or 2016-06-16T09:32:00+08:00", t)
	}
	return time.Time{}, messages.Errorf("%v is not a date: write 2016-06-16, 2016-06-16 09:32 or 2016-06-16T09:32:00+08:00", v)
}

// inZone reads the wall clock of w in loc. Where loc's clocks skipped that
// reading (São Paulo's went from 23:59 to 01:00; Apia skipped 2011-12-30),
// time.Date may give an instant whose clock reads earlier, as early as the
// evening before; it is moved forward past the gap instead, so a bare date
// is the first instant of the day written (or of the next day that exists)
// and a deadline never moves to an earlier day.
func inZone(w time.Time, loc *time.Location) time.Time {
	d := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	want := wallClock(w)
	for i := 0; i < 3; i++ {
		behind := want.Sub(wallClock(d))
		if behind <= 0 {
			break
		}
		d = d.Add(behind) // absolute time: crosses the gap
	}
	return d
}

// wallClock is what t's clock reads, as the same reading in UTC, so that
// readings in different zones or offsets can be compared.
func wallClock(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, sec := t.Clock()
	return time.Date(y, m, d, h, mi, sec, t.Nanosecond(), time.UTC)
}
