// Menu entries of the finance module: 费用管理 (the center under 考务管理 with 收费标准; a station and a level-2
// org under 我的账户, as in the manual's 五(一)).
import { Money, PriceTag } from '@element-plus/icons-vue'

export default [
  { roles: ['center_staff', 'center_director'], group: '考务管理', label: '费用管理', path: '/app/fees', icon: Money, order: 170 },
  { roles: ['center_staff', 'center_director'], group: '考务管理', label: '收费标准', path: '/app/fee-prices', icon: PriceTag, order: 171 },
  { roles: ['station', 'org2'], group: '我的账户', label: '费用管理', path: '/app/fees', icon: Money, order: 910 },
]
