//! The [`Results`] of a kernel sweep (the serial and Amdahl lessons' [`Job`]s): the class says
//! what ran — lesson, workload and size, schedule and injected serial share — so only runs of
//! the same experiment are overlaid.

use parlab_kernels::measure::{Job, Row};

use super::schema::Results;
use crate::activity::workload_label;

/// Lower-case words joined by `-` (`Monte-Carlo π, small` → `monte-carlo-π-small`); of a
/// kernel's JSON spec, a class id (`{"sum":{"len":4096}}` → `sum-len-4096`).
pub fn slug(s: &str) -> String {
    let words: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.join("-")
}

/// The results of `job` in lesson `lesson` (titled `title`), with its rows.
pub fn of_job(lesson: &str, title: &str, job: &Job, rows: &[Row]) -> Results {
    let what = workload_label(&job.spec);
    let mut class = format!("{lesson}/{}/{}", slug(&what), job.schedule.name());
    let mut class_title = format!("{title}: {what}, {} schedule", job.schedule.name());
    if job.serial_share > 0.0 {
        class += &format!("/serial-{}", job.serial_share);
        class_title += &format!(", serial part {:.0} %", job.serial_share * 100.0);
    }
    Results::new(lesson, class, class_title, rows).details(job)
}

#[cfg(test)]
mod tests {
    use super::*;
    use parlab_kernels::schedule::Schedule;
    use parlab_kernels::{KernelSpec, Size, Workload};

    #[test]
    fn class_names_the_experiment() {
        let job = Job {
            spec: KernelSpec::new(Workload::Pi, Size::Small),
            threads: vec![1, 2],
            reps: 1,
            schedule: Schedule::Dynamic,
            serial_share: 0.25,
        };
        let r = of_job("amdahl", "Amdahl's law", &job, &[]);
        assert!(r.class.starts_with("amdahl/"), "{}", r.class);
        assert!(r.class.ends_with("/dynamic/serial-0.25"), "{}", r.class);
        assert!(r.class_title.contains("serial part 25 %"), "{}", r.class_title);
        assert!(r.rows.is_empty());
        assert_eq!(r.details.unwrap()["threads"], serde_json::json!([1, 2]));
        assert_eq!(slug("Monte-Carlo π, small"), "monte-carlo-π-small");
    }
}
