// Static sample entries of the landing page's news tabs, copied from the manual's home page screenshot
// (titles truncated there). The notice module will feed these lists from the API later.

export const WORK_NEWS = [
  { title: '全国第四届工程机械维修工职业技能竞赛技术…', date: '2019-04-02' },
  { title: '全国第三届发动机装调工职业技能竞赛技术…', date: '2019-04-02' },
  { title: '关于同意机械行业第七批重新登记注册机构…', date: '2019-03-27' },
  { title: '关于举办2019年第四期机械行业职业技能鉴…', date: '2019-03-13' },
  { title: '关于召开2018年度机械行业人才评价工作总…', date: '2019-03-13' },
  { title: '关于召开2019年中国技能大赛——全国第四…', date: '2019-02-27' },
  { title: '关于召开2019年中国技能大赛——全国第三…', date: '2019-02-27' },
  { title: '关于印发机械工业人才评价工作专家委员会…', date: '2019-02-25' },
]

// The manual shows no 行业动态 entries; the tab shows its empty state until the API provides them.
export const INDUSTRY_NEWS = []
